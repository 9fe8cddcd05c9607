import type { TypeDescriptor } from "./descriptor.js"

/** A type as it would be written in a `.bare` schema, for messages. */
export function typeText(type: TypeDescriptor): string {
  switch (type.kind) {
    case "ref":
      return type.name
    case "data":
      return type.length === undefined ? "data" : `data[${type.length}]`
    case "optional":
      return `optional<${typeText(type.of)}>`
    case "list":
      return `list<${typeText(type.of)}>${type.length === undefined ? "" : `[${type.length}]`}`
    case "map":
      return `map<${typeText(type.key)}><${typeText(type.value)}>`
    case "struct":
      return `struct { ${type.fields.map((field) => `${field.name}: ${typeText(field.type)}`).join(", ")} }`
    case "union":
      return `union { ${type.members.map((member) => `${typeText(member.type)} = ${member.tag}`).join(" | ")} }`
    case "enum":
      return `enum { ${type.values.map((value) => `${value.name} = ${value.value}`).join(" ")} }`
    default:
      return type.kind
  }
}
