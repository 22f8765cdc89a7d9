import Testing

@testable import ServiceKit

@Suite("SQL script splitting")
struct SQLScriptTests {
    @Test func splitsOnSemicolonsOutsideQuotesAndComments() {
        let script = """
            -- a comment; with a semicolon
            CREATE TABLE a (x text DEFAULT 'a;b', "we;ird" int);
            /* block; /* nested; */ still comment; */
            INSERT INTO a VALUES ('it''s; fine');
            CREATE FUNCTION f() RETURNS int AS $$ BEGIN RETURN 1; END; $$ LANGUAGE plpgsql;
            CREATE FUNCTION g() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;
            SELECT a$b FROM t;
            ;;
            """
        let statements = SQLScript.statements(in: script)
        #expect(statements.count == 5)
        #expect(statements[0] == #"CREATE TABLE a (x text DEFAULT 'a;b', "we;ird" int)"#)
        #expect(statements[1] == "INSERT INTO a VALUES ('it''s; fine')")
        #expect(statements[2].hasSuffix("$$ BEGIN RETURN 1; END; $$ LANGUAGE plpgsql"))
        #expect(statements[3].contains("$body$ SELECT 1; $body$"))
        #expect(statements[4] == "SELECT a$b FROM t")
    }

    @Test func emptyAndCommentOnlyScriptsHaveNoStatements() {
        #expect(SQLScript.statements(in: "").isEmpty)
        #expect(SQLScript.statements(in: "-- nothing\n/* here */\n").isEmpty)
    }

    @Test func lastStatementWithoutSemicolon() {
        #expect(SQLScript.statements(in: "SELECT 1; SELECT 2") == ["SELECT 1", "SELECT 2"])
    }
}
