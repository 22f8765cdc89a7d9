/// How chunks are ranked: vector and keyword rankings fused by RRF (`hybrid`, the default), or
/// either ranking alone.
public enum SearchMode: String, ContractEnum {
    case hybrid
    case vector
    case keyword
}
