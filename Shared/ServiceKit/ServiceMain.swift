import Foundation

/// What each executable's `main` does with a configuration problem: one clear line, exit 2.
public enum ServiceMain {
    public static func configuration(defaultPort: Int) -> ServiceConfiguration {
        do {
            return try ServiceConfiguration.fromEnvironment(
                ProcessInfo.processInfo.environment, defaultPort: defaultPort)
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            exit(2)
        }
    }

    /// Exits with the error on one line (for failures during start-up).
    public static func fail(_ service: String, _ error: any Error) -> Never {
        FileHandle.standardError.write(Data("\(service): \(error)\n".utf8))
        exit(1)
    }
}
