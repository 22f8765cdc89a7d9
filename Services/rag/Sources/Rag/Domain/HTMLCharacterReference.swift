/// What HTML character references (`&eacute;`, `&#233;`, `&#xE9;`) stand for.
///
/// Kept apart from the scanner because it is a table, not logic: the HTML 4 entity set (the one
/// real-world documents use; HTML5's extra two thousand names are almost never seen) plus
/// `&apos;`, and the numeric rules browsers follow.
enum HTMLCharacterReference {
    /// The Latin-1 entities, U+00A0 through U+00FF, in code point order.
    private static let latin1Names = [
        "nbsp", "iexcl", "cent", "pound", "curren", "yen", "brvbar", "sect",
        "uml", "copy", "ordf", "laquo", "not", "shy", "reg", "macr",
        "deg", "plusmn", "sup2", "sup3", "acute", "micro", "para", "middot",
        "cedil", "sup1", "ordm", "raquo", "frac14", "frac12", "frac34", "iquest",
        "Agrave", "Aacute", "Acirc", "Atilde", "Auml", "Aring", "AElig", "Ccedil",
        "Egrave", "Eacute", "Ecirc", "Euml", "Igrave", "Iacute", "Icirc", "Iuml",
        "ETH", "Ntilde", "Ograve", "Oacute", "Ocirc", "Otilde", "Ouml", "times",
        "Oslash", "Ugrave", "Uacute", "Ucirc", "Uuml", "Yacute", "THORN", "szlig",
        "agrave", "aacute", "acirc", "atilde", "auml", "aring", "aelig", "ccedil",
        "egrave", "eacute", "ecirc", "euml", "igrave", "iacute", "icirc", "iuml",
        "eth", "ntilde", "ograve", "oacute", "ocirc", "otilde", "ouml", "divide",
        "oslash", "ugrave", "uacute", "ucirc", "uuml", "yacute", "thorn", "yuml",
    ]

    /// The markup-significant ones, which browsers also accept in upper case.
    private static let basic: [String: UInt32] = [
        "quot": 0x22, "amp": 0x26, "apos": 0x27, "lt": 0x3C, "gt": 0x3E,
        "QUOT": 0x22, "AMP": 0x26, "LT": 0x3C, "GT": 0x3E, "COPY": 0xA9, "REG": 0xAE,
    ]

    /// HTML 4's symbols, Greek letters and special characters.
    private static let symbols: [String: UInt32] = [
        "fnof": 402,
        "Alpha": 913, "Beta": 914, "Gamma": 915, "Delta": 916, "Epsilon": 917, "Zeta": 918,
        "Eta": 919, "Theta": 920, "Iota": 921, "Kappa": 922, "Lambda": 923, "Mu": 924,
        "Nu": 925, "Xi": 926, "Omicron": 927, "Pi": 928, "Rho": 929, "Sigma": 931,
        "Tau": 932, "Upsilon": 933, "Phi": 934, "Chi": 935, "Psi": 936, "Omega": 937,
        "alpha": 945, "beta": 946, "gamma": 947, "delta": 948, "epsilon": 949, "zeta": 950,
        "eta": 951, "theta": 952, "iota": 953, "kappa": 954, "lambda": 955, "mu": 956,
        "nu": 957, "xi": 958, "omicron": 959, "pi": 960, "rho": 961, "sigmaf": 962,
        "sigma": 963, "tau": 964, "upsilon": 965, "phi": 966, "chi": 967, "psi": 968,
        "omega": 969, "thetasym": 977, "upsih": 978, "piv": 982,
        "bull": 8226, "hellip": 8230, "prime": 8242, "Prime": 8243, "oline": 8254, "frasl": 8260,
        "weierp": 8472, "image": 8465, "real": 8476, "trade": 8482, "alefsym": 8501,
        "larr": 8592, "uarr": 8593, "rarr": 8594, "darr": 8595, "harr": 8596, "crarr": 8629,
        "lArr": 8656, "uArr": 8657, "rArr": 8658, "dArr": 8659, "hArr": 8660,
        "forall": 8704, "part": 8706, "exist": 8707, "empty": 8709, "nabla": 8711,
        "isin": 8712, "notin": 8713, "ni": 8715, "prod": 8719, "sum": 8721, "minus": 8722,
        "lowast": 8727, "radic": 8730, "prop": 8733, "infin": 8734, "ang": 8736, "and": 8743,
        "or": 8744, "cap": 8745, "cup": 8746, "int": 8747, "there4": 8756, "sim": 8764,
        "cong": 8773, "asymp": 8776, "ne": 8800, "equiv": 8801, "le": 8804, "ge": 8805,
        "sub": 8834, "sup": 8835, "nsub": 8836, "sube": 8838, "supe": 8839, "oplus": 8853,
        "otimes": 8855, "perp": 8869, "sdot": 8901, "lceil": 8968, "rceil": 8969,
        "lfloor": 8970, "rfloor": 8971, "lang": 0x27E8, "rang": 0x27E9, "loz": 9674,
        "spades": 9824, "clubs": 9827, "hearts": 9829, "diams": 9830,
        "OElig": 338, "oelig": 339, "Scaron": 352, "scaron": 353, "Yuml": 376,
        "circ": 710, "tilde": 732, "ensp": 8194, "emsp": 8195, "thinsp": 8201,
        "zwnj": 8204, "zwj": 8205, "lrm": 8206, "rlm": 8207, "ndash": 8211, "mdash": 8212,
        "lsquo": 8216, "rsquo": 8217, "sbquo": 8218, "ldquo": 8220, "rdquo": 8221,
        "bdquo": 8222, "dagger": 8224, "Dagger": 8225, "permil": 8240, "lsaquo": 8249,
        "rsaquo": 8250, "euro": 8364,
    ]

    /// Every known name (without `&` and `;`) and the code point it stands for.
    static let named: [String: UInt32] = {
        var table = basic.merging(symbols) { first, _ in first }
        for (offset, name) in latin1Names.enumerated() {
            table[name] = 0xA0 + UInt32(offset)
        }
        return table
    }()

    /// Names a browser also decodes when the `;` is missing (`&copy 2024`, `&amp`): the
    /// markup-significant ones and Latin-1.
    static let recognisedWithoutSemicolon: Set<String> = {
        Set(latin1Names).union(["quot", "amp", "lt", "gt", "QUOT", "AMP", "LT", "GT", "COPY", "REG"])
    }()

    /// What `&#…;` with this value means: U+FFFD for no valid character, Windows-1252 for
    /// 128–159 (what the author meant, and what browsers show), else the value itself.
    static func scalar(forNumericReference value: UInt32) -> UInt32 {
        switch value {
        case 0, 0xD800...0xDFFF, 0x110000...: return 0xFFFD
        case 0x80...0x9F:
            let mapped = windows1252[Int(value - 0x80)]
            return mapped == 0 ? value : mapped
        default: return value
        }
    }

    /// Windows-1252's meaning of 0x80–0x9F; 0 where it has none.
    private static let windows1252: [UInt32] = [
        0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
        0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
    ]
}
