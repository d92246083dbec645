// A minimal JSON reader and string quoting, so the wrapper needs nothing beyond .NET Standard 2.0
// (no System.Text.Json, no Newtonsoft). Objects become Dictionary<string, object>, arrays
// List<object>, numbers double, plus string, bool and null.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Eidpl
{
    public static class Json
    {
        /// Parses a JSON text (the results of libeidpl are always valid JSON).
        public static object Parse(string text)
        {
            if (text == null)
            {
                throw new ArgumentNullException(nameof(text));
            }
            int i = 0;
            object value = ReadValue(text, ref i);
            SkipSpace(text, ref i);
            if (i != text.Length)
            {
                throw new FormatException("trailing characters after JSON at " + i);
            }
            return value;
        }

        /// A JSON string literal for `s` (with quotes), or `null`.
        public static string Quote(string s)
        {
            if (s == null)
            {
                return "null";
            }
            var sb = new StringBuilder(s.Length + 2);
            sb.Append('"');
            foreach (char c in s)
            {
                switch (c)
                {
                    case '"': sb.Append("\\\""); break;
                    case '\\': sb.Append("\\\\"); break;
                    case '\n': sb.Append("\\n"); break;
                    case '\r': sb.Append("\\r"); break;
                    case '\t': sb.Append("\\t"); break;
                    default:
                        if (c < 0x20)
                        {
                            sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        }
                        else
                        {
                            sb.Append(c);
                        }
                        break;
                }
            }
            return sb.Append('"').ToString();
        }

        /// `{"k": "v", …}` from pairs, leaving out null values.
        internal static string Object(params string[] keyValues)
        {
            var sb = new StringBuilder("{");
            for (int k = 0; k + 1 < keyValues.Length; k += 2)
            {
                if (keyValues[k + 1] == null)
                {
                    continue;
                }
                if (sb.Length > 1)
                {
                    sb.Append(", ");
                }
                sb.Append(Quote(keyValues[k])).Append(": ").Append(Quote(keyValues[k + 1]));
            }
            return sb.Append('}').ToString();
        }

        /// The string at a path of object keys, or null when absent or not a string.
        public static string Str(object root, params string[] path)
        {
            return Get(root, path) as string;
        }

        /// The value at a path of object keys (and list indexes given as digits), or null.
        public static object Get(object root, params string[] path)
        {
            object cur = root;
            foreach (string key in path)
            {
                if (cur is Dictionary<string, object> obj)
                {
                    obj.TryGetValue(key, out cur);
                }
                else if (cur is List<object> list && int.TryParse(key, NumberStyles.None,
                             CultureInfo.InvariantCulture, out int index) && index < list.Count)
                {
                    cur = list[index];
                }
                else
                {
                    return null;
                }
            }
            return cur;
        }

        private static void SkipSpace(string t, ref int i)
        {
            while (i < t.Length && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r'))
            {
                i++;
            }
        }

        private static object ReadValue(string t, ref int i)
        {
            SkipSpace(t, ref i);
            if (i >= t.Length)
            {
                throw new FormatException("unexpected end of JSON");
            }
            char c = t[i];
            if (c == '{')
            {
                var obj = new Dictionary<string, object>();
                i++;
                SkipSpace(t, ref i);
                if (i < t.Length && t[i] == '}')
                {
                    i++;
                    return obj;
                }
                while (true)
                {
                    SkipSpace(t, ref i);
                    string key = ReadString(t, ref i);
                    SkipSpace(t, ref i);
                    Expect(t, ref i, ':');
                    obj[key] = ReadValue(t, ref i);
                    SkipSpace(t, ref i);
                    if (i < t.Length && t[i] == ',')
                    {
                        i++;
                        continue;
                    }
                    Expect(t, ref i, '}');
                    return obj;
                }
            }
            if (c == '[')
            {
                var list = new List<object>();
                i++;
                SkipSpace(t, ref i);
                if (i < t.Length && t[i] == ']')
                {
                    i++;
                    return list;
                }
                while (true)
                {
                    list.Add(ReadValue(t, ref i));
                    SkipSpace(t, ref i);
                    if (i < t.Length && t[i] == ',')
                    {
                        i++;
                        continue;
                    }
                    Expect(t, ref i, ']');
                    return list;
                }
            }
            if (c == '"')
            {
                return ReadString(t, ref i);
            }
            if (Word(t, ref i, "true"))
            {
                return true;
            }
            if (Word(t, ref i, "false"))
            {
                return false;
            }
            if (Word(t, ref i, "null"))
            {
                return null;
            }
            int start = i;
            while (i < t.Length && "+-0123456789.eE".IndexOf(t[i]) >= 0)
            {
                i++;
            }
            if (start == i)
            {
                throw new FormatException("unexpected character in JSON at " + i);
            }
            return double.Parse(t.Substring(start, i - start), NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        private static bool Word(string t, ref int i, string word)
        {
            if (string.CompareOrdinal(t, i, word, 0, word.Length) == 0)
            {
                i += word.Length;
                return true;
            }
            return false;
        }

        private static void Expect(string t, ref int i, char c)
        {
            if (i >= t.Length || t[i] != c)
            {
                throw new FormatException("expected '" + c + "' in JSON at " + i);
            }
            i++;
        }

        private static string ReadString(string t, ref int i)
        {
            Expect(t, ref i, '"');
            var sb = new StringBuilder();
            while (true)
            {
                if (i >= t.Length)
                {
                    throw new FormatException("unterminated JSON string");
                }
                char c = t[i++];
                if (c == '"')
                {
                    return sb.ToString();
                }
                if (c != '\\')
                {
                    sb.Append(c);
                    continue;
                }
                if (i >= t.Length)
                {
                    throw new FormatException("unterminated JSON escape");
                }
                char e = t[i++];
                switch (e)
                {
                    case '"': sb.Append('"'); break;
                    case '\\': sb.Append('\\'); break;
                    case '/': sb.Append('/'); break;
                    case 'b': sb.Append('\b'); break;
                    case 'f': sb.Append('\f'); break;
                    case 'n': sb.Append('\n'); break;
                    case 'r': sb.Append('\r'); break;
                    case 't': sb.Append('\t'); break;
                    case 'u':
                        if (i + 4 > t.Length)
                        {
                            throw new FormatException("short \\u escape in JSON");
                        }
                        sb.Append((char)int.Parse(t.Substring(i, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                        i += 4;
                        break;
                    default:
                        throw new FormatException("bad JSON escape \\" + e);
                }
            }
        }
    }
}
