using System.Globalization;

namespace ZarrPartition.Module.Tests.Packaging;

/// <summary>
/// Reads a module manifest as the restricted language it must be: one literal hashtable of strings,
/// numbers, $true/$false, @() arrays and nested @{} hashtables, with comments. Anything else (a
/// variable, a command, an expression) is an error, as Import-Module would make it.
/// </summary>
public sealed class ManifestReader
{
    private readonly string _text;
    private int _at;

    private ManifestReader(string text) => _text = text;

    public static Dictionary<string, object?> Read(string text)
    {
        var r = new ManifestReader(text);
        r.Skip();
        var table = r.Value() as Dictionary<string, object?> ?? throw r.Fail("the manifest is not a hashtable");
        r.Skip();
        if (r._at < r._text.Length)
        {
            throw r.Fail("text after the hashtable");
        }

        return table;
    }

    private object? Value()
    {
        Skip();
        if (Peek("@{"))
        {
            _at += 2;
            var table = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
            while (true)
            {
                SkipSeparators();
                if (Peek("}"))
                {
                    _at++;
                    return table;
                }

                var key = Key();
                Skip();
                Expect("=");
                table[key] = Value();
            }
        }

        if (Peek("@("))
        {
            _at += 2;
            var list = new List<object?>();
            while (true)
            {
                SkipSeparators(commas: true);
                if (Peek(")"))
                {
                    _at++;
                    return list;
                }

                list.Add(Value());
            }
        }

        if (Peek("'"))
        {
            return Quoted('\'');
        }

        if (Peek("\""))
        {
            var s = Quoted('"');
            return s.Contains('$', StringComparison.Ordinal) || s.Contains('`', StringComparison.Ordinal) ? throw Fail("an expandable string") : s;
        }

        if (Peek("$true") || Peek("$false"))
        {
            bool v = Peek("$true");
            _at += v ? 5 : 6;
            return v;
        }

        int start = _at;
        while (_at < _text.Length && (char.IsDigit(_text[_at]) || _text[_at] == '.'))
        {
            _at++;
        }

        return _at > start ? double.Parse(_text[start.._at], CultureInfo.InvariantCulture) : throw Fail("not a literal");
    }

    private string Key()
    {
        if (Peek("'"))
        {
            return Quoted('\'');
        }

        int start = _at;
        while (_at < _text.Length && (char.IsLetterOrDigit(_text[_at]) || _text[_at] == '_'))
        {
            _at++;
        }

        return _at > start ? _text[start.._at] : throw Fail("a hashtable key");
    }

    private string Quoted(char quote)
    {
        _at++;
        var sb = new System.Text.StringBuilder();
        while (true)
        {
            if (_at >= _text.Length)
            {
                throw Fail("an unterminated string");
            }

            if (_text[_at] == quote)
            {
                if (_at + 1 < _text.Length && _text[_at + 1] == quote)
                {
                    sb.Append(quote);
                    _at += 2;
                    continue;
                }

                _at++;
                return sb.ToString();
            }

            sb.Append(_text[_at++]);
        }
    }

    private void SkipSeparators(bool commas = false)
    {
        while (true)
        {
            Skip();
            if (_at < _text.Length && (_text[_at] == ';' || (commas && _text[_at] == ',')))
            {
                _at++;
                continue;
            }

            return;
        }
    }

    private void Skip()
    {
        while (_at < _text.Length)
        {
            if (char.IsWhiteSpace(_text[_at]))
            {
                _at++;
            }
            else if (Peek("<#"))
            {
                int end = _text.IndexOf("#>", _at, StringComparison.Ordinal);
                _at = end < 0 ? throw Fail("an unterminated comment") : end + 2;
            }
            else if (_text[_at] == '#')
            {
                while (_at < _text.Length && _text[_at] != '\n')
                {
                    _at++;
                }
            }
            else
            {
                return;
            }
        }
    }

    private bool Peek(string s) => string.CompareOrdinal(_text, _at, s, 0, s.Length) == 0;

    private void Expect(string s)
    {
        if (!Peek(s))
        {
            throw Fail($"'{s}'");
        }

        _at += s.Length;
    }

    private FormatException Fail(string what)
    {
        int line = _text.Take(Math.Min(_at, _text.Length)).Count(c => c == '\n') + 1;
        return new FormatException($"Manifest line {line}: expected {what}.");
    }
}
