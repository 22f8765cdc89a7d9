import ApexProtocol
import Testing

@testable import ServiceKit

@Suite("Configuration")
struct ConfigurationTests {
    func settings(_ values: [String: String]) throws(ConfigurationError) -> ServiceSettings {
        try ServiceSettings(service: .rag, environment: EnvironmentReader(values))
    }

    @Test func databaseURLWinsOverEverythingElse() throws {
        let db = try DatabaseSettings(
            environment: EnvironmentReader([
                "DATABASE_URL": "postgres://u%40x:p%2Fw@db.example:6543/apex?sslmode=require",
                "K_SERVICE": "rag", "ALLOYDB_HOST": "10.0.0.5", "DB_HOST": "ignored",
            ]))
        #expect(db.source == .databaseURL)
        #expect(db.host == "db.example")
        #expect(db.port == 6543)
        #expect(db.username == "u@x")
        #expect(db.password == "p/w")
        #expect(db.database == "apex")
        #expect(db.sslMode == .require)
        #expect(!db.redactedDescription.contains("p/w"))
    }

    @Test func alloyDBOnCloudRunBeforeDBVariables() throws {
        let db = try DatabaseSettings(
            environment: EnvironmentReader([
                "K_SERVICE": "rag", "ALLOYDB_HOST": "10.0.0.5", "ALLOYDB_DB": "apex", "ALLOYDB_USER": "svc",
                "ALLOYDB_PASSWORD": "s", "DB_HOST": "ignored", "DB_NAME": "x", "DB_USER": "y",
            ]))
        #expect(db.source == .alloyDB)
        #expect(db.host == "10.0.0.5")
        #expect(db.sslMode == .require)
    }

    @Test func alloyDBIgnoredOutsideCloudRun() throws {
        let db = try DatabaseSettings(
            environment: EnvironmentReader([
                "ALLOYDB_HOST": "10.0.0.5", "DB_HOST": "localhost", "DB_NAME": "apex", "DB_USER": "apex", "DB_PORT": "5433",
            ]))
        #expect(db.source == .dbVariables)
        #expect(db.host == "localhost")
        #expect(db.port == 5433)
        #expect(db.sslMode == .prefer)
        #expect(db.poolMax == 5)
    }

    @Test func poolAndTimeouts() throws {
        let db = try DatabaseSettings(
            environment: EnvironmentReader([
                "DATABASE_URL": "postgres://a@h/d", "DB_POOL_MAX": "12", "DB_ACQUIRE_TIMEOUT_MS": "250",
            ]))
        #expect(db.poolMax == 12)
        #expect(db.acquireTimeout == .milliseconds(250))
    }

    @Test(arguments: [
        (["DB_HOST": "h"], "DB_NAME"),
        ([:], "DATABASE_URL"),
        (["DATABASE_URL": "mysql://a@h/d"], "DATABASE_URL"),
        (["DATABASE_URL": "postgres://h/d"], "DATABASE_URL"),
        (["DATABASE_URL": "postgres://a@h/"], "DATABASE_URL"),
        (["DATABASE_URL": "postgres://a@h/d?sslmode=sometimes"], "DATABASE_URL"),
        (["DATABASE_URL": "postgres://a@h/d", "DB_POOL_MAX": "abc"], "DB_POOL_MAX"),
        (["DATABASE_URL": "postgres://a@h/d", "DB_POOL_MAX": "0"], "DB_POOL_MAX"),
    ])
    func databaseErrorsNameTheVariable(values: [String: String], variable: String) {
        #expect(throws: ConfigurationError.self) { try DatabaseSettings(environment: EnvironmentReader(values)) }
        do {
            _ = try DatabaseSettings(environment: EnvironmentReader(values))
        } catch {
            #expect(error.variable == variable)
            #expect(!error.description.contains("\n"))
            #expect(error.description.contains(variable))
        }
    }

    @Test func malformedValuesNameTheVariable() {
        let base = ["DATABASE_URL": "postgres://a@h/d"]
        let cases: [(String, String)] = [
            ("PORT", "eighty"), ("PORT", "70000"), ("LOG_LEVEL", "loud"), ("AUTH_DISABLED", "maybe"),
            ("MIGRATE_ON_START", "2"), ("MAX_BODY_BYTES", "-1"), ("SHUTDOWN_GRACE_MS", "x"),
        ]
        for (name, value) in cases {
            do {
                _ = try settings(base.merging([name: value]) { _, new in new })
                Issue.record("\(name)=\(value) was accepted")
            } catch {
                #expect(error.variable == name)
                #expect(error.description == "configuration error: \(name) \(error.problem)")
            }
        }
    }

    @Test func productionRefusesDisabledAuth() {
        #expect(throws: ConfigurationError("AUTH_DISABLED", "must not be set on Cloud Run (K_SERVICE is set): it disables authentication"))
        {
            try settings([
                "DATABASE_URL": "postgres://a@h/d", "K_SERVICE": "rag", "AUTH_DISABLED": "1",
                "INTERNAL_AUTH_SECRET": String(repeating: "s", count: 40),
            ])
        }
    }

    @Test func productionRequiresAStrongInternalSecret() {
        do {
            _ = try settings(["DATABASE_URL": "postgres://a@h/d", "K_SERVICE": "rag"])
            Issue.record("accepted a missing secret")
        } catch { #expect(error.variable == "INTERNAL_AUTH_SECRET") }
        do {
            _ = try settings(["DATABASE_URL": "postgres://a@h/d", "K_SERVICE": "rag", "INTERNAL_AUTH_SECRET": "short"])
            Issue.record("accepted a short secret")
        } catch { #expect(error.variable == "INTERNAL_AUTH_SECRET") }
    }

    @Test func developmentGeneratesASecret() throws {
        let a = try settings(["DATABASE_URL": "postgres://a@h/d"])
        let b = try settings(["DATABASE_URL": "postgres://a@h/d"])
        #expect(a.internalAuthSecretGenerated)
        #expect(a.internalAuthSecret.count == 64)
        #expect(a.internalAuthSecret != b.internalAuthSecret)
        #expect(a.port == 8080)
        #expect(a.maxBodyBytes == 10 * 1024 * 1024)
        #expect(a.migrateOnStart)
        #expect(a.shutdownGracePeriod == .seconds(8))
    }

    @Test func tlsNeedsBothFiles() {
        do {
            _ = try settings(["DATABASE_URL": "postgres://a@h/d", "TLS_CERT_FILE": "/c.pem"])
            Issue.record("accepted a certificate without a key")
        } catch { #expect(error.variable == "TLS_KEY_FILE") }
    }

    @Test func emptyValuesCountAsUnset() throws {
        let s = try settings(["DATABASE_URL": "postgres://a@h/d", "PORT": "", "LOG_LEVEL": " "])
        #expect(s.port == 8080)
        #expect(s.logLevel == .info)
    }
}
