import Policy
import Postgres

extension CivilDate: PostgresEncodable, PostgresDecodable {
    /// `YYYY-MM-DD`, PostgreSQL's `date` text form.
    public var postgresText: String? { description }
    public static func decode(postgresText: String) -> CivilDate? { try? CivilDate(parsing: postgresText) }
}
