/// Who wrote a chat message.
public enum MessageRole: String, ContractEnum {
    case user
    case assistant
    case system
}
