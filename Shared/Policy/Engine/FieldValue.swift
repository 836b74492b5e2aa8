/// The value of a condition field for one request.
enum FieldValue {
    case bool(Bool)
    case number(Double)
    case text(String)
    case rating(String)
    case list([String])
}
