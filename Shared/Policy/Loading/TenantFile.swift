import Foundation
import Yams

/// Reads tenant files (YAML, or its JSON form) into a `TenantPolicy`, reporting every
/// problem with file, line, column, path and what was expected.
public enum TenantFile {
    /// Parses and validates a YAML tenant file.
    public static func parse(yaml: String, fileName: String) -> Result<TenantPolicy, PolicyProblems> {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            return .failure(PolicyProblems(problems: [syntaxProblem(error, fileName: fileName)]))
        }
        guard let root else {
            return .failure(
                PolicyProblems(problems: [
                    PolicyProblem(
                        file: fileName, line: 1, column: 1, path: "",
                        message: "the file is empty; expected a mapping with id, name, time_zone…")
                ]))
        }
        return load(SourceNode(yaml: root), fileName: fileName, pointerPaths: false)
    }

    /// Parses and validates the JSON form of a tenant file (problems carry JSON pointers and
    /// no line numbers).
    public static func parse(json: Data, fileName: String) -> Result<TenantPolicy, PolicyProblems> {
        let tree: JSONSourceTree
        do {
            tree = try JSONDecoder().decode(JSONSourceTree.self, from: json)
        } catch {
            return .failure(
                PolicyProblems(problems: [
                    PolicyProblem(
                        file: fileName, line: nil, column: nil, path: "",
                        message: "invalid JSON: \(error.localizedDescription)")
                ]))
        }
        return load(tree.node, fileName: fileName, pointerPaths: true)
    }

    /// Reads and parses a file; `.json` files as JSON, anything else as YAML.
    public static func load(contentsOf url: URL) -> Result<TenantPolicy, PolicyProblems> {
        let name = url.lastPathComponent
        guard let data = try? Data(contentsOf: url) else {
            return .failure(
                PolicyProblems(problems: [
                    PolicyProblem(file: name, line: nil, column: nil, path: "", message: "cannot read the file")
                ]))
        }
        if url.pathExtension.lowercased() == "json" { return parse(json: data, fileName: name) }
        return parse(yaml: String(decoding: data, as: UTF8.self), fileName: name)
    }

    private static func load(
        _ root: SourceNode, fileName: String,
        pointerPaths: Bool
    ) -> Result<TenantPolicy, PolicyProblems> {
        let session = DecodeSession()
        let decoder = NodeDecoder(node: root, path: [], position: root.position, session: session)
        var policy: TenantPolicy?
        do {
            policy = try TenantPolicy(from: decoder)
            decoder.reportUnknownKeys()
        } catch let error as DecodingError {
            session.record([], root.position, NodeDecoder.message(of: error))
        } catch {
            // A ReportedProblem: already recorded.
        }
        var found = session.entries.map { ($0.path, $0.position, $0.message) }
        if let policy {
            let decodedPaths = found.map(\.0)
            for (path, message) in PolicyValidator(policy: policy).problems()
            where !decodedPaths.contains(where: { path.starts(with: $0) && !$0.isEmpty }) {
                found.append((path, root.position(at: path), message))
            }
        }
        if found.isEmpty, let policy { return .success(policy) }
        let problems = found.map { path, position, message in
            PolicyProblem(
                file: fileName, line: pointerPaths ? nil : position?.line,
                column: pointerPaths ? nil : position?.column,
                path: pointerPaths ? PathComponent.pointer(path) : PathComponent.dotted(path),
                message: message)
        }
        return .failure(PolicyProblems(problems: sorted(problems)))
    }

    private static func sorted(_ problems: [PolicyProblem]) -> [PolicyProblem] {
        problems.enumerated().sorted { lhs, rhs in
            let left = (lhs.element.line ?? Int.max, lhs.element.column ?? 0, lhs.offset)
            let right = (rhs.element.line ?? Int.max, rhs.element.column ?? 0, rhs.offset)
            return left < right
        }.map(\.element)
    }

    private static func syntaxProblem(_ error: any Error, fileName: String) -> PolicyProblem {
        var mark: Mark?
        var message = "invalid YAML: \(error)"
        if let yamlError = error as? YamlError {
            switch yamlError {
            case .scanner(let context, let problem, let at, _), .parser(let context, let problem, let at, _),
                .composer(let context, let problem, let at, _):
                mark = at
                message = "invalid YAML: " + problem + (context.map { " " + $0.text } ?? "")
            case .duplicatedKeysInMapping(let duplicates, let context):
                mark = context.mark
                message =
                    "duplicate key(s) " + duplicates.map { "\"\($0)\"" }.joined(separator: ", ")
                    + "; each key may appear once in a mapping"
            default:
                break
            }
        }
        return PolicyProblem(file: fileName, line: mark?.line, column: mark?.column, path: "", message: message)
    }
}
