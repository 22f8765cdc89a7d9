import Foundation

/// Writes one line to stdout at once (unbuffered), so results survive a later crash or kill.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
