/// The four ApexFlow services. The raw values are the spellings used as `iss` and `aud` of
/// internal identity tokens, as log `service` fields, and in context `errors[].source`.
public enum ServiceName: String, ContractEnum {
    case gateway
    case rag
    case memory
    case scheduler
}
