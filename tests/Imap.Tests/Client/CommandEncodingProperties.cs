using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RawMail.Protocols.Imap.Commands;
using RawMail.Protocols.Imap.Model;

namespace RawMail.Imap.Tests.Client;

public sealed class CommandEncodingProperties
{
    // Printable ASCII, the characters that force quoting, and non-ASCII letters that force a literal or UTF-8.
    private static readonly Gen<string> s_values =
        Gen.OneOf(
                Gen.Choose(0x20, 0x7E).Select(static c => (char)c),
                Gen.Elements('"', '\\', ' ', '(', ')', '{', '%', '*', ']', '\t'),
                Gen.Elements('ü', 'ß', 'Д', '€', '日'))
            .ArrayOf()
            .Select(static chars => new string(chars));
    [Property(MaxTest = 1000)]
    public Property AStringRoundTrips()
    {
        return Prop.ForAll(s_values.ToArbitrary(), value =>
        {
            if (value is null || value.IndexOfAny(['\r', '\n', '\0']) >= 0)
            {
                return true;
            }

            ImapCommand command = new ImapCommand("X").Space().AppendAString(value);
            return Decode(command.Parts) == value;
        });
    }

    [Property(MaxTest = 1000)]
    public Property QuotedUtf8RoundTrips()
    {
        return Prop.ForAll(s_values.ToArbitrary(), value =>
        {
            if (value is null || value.IndexOfAny(['\r', '\n', '\0']) >= 0)
            {
                return true;
            }

            ImapCommand command = new ImapCommand("X") { Utf8 = true }.Space().AppendString(value);
            return Decode(command.Parts) == value;
        });
    }

    [Property(MaxTest = 500)]
    public Property LineBreakOrNulIsRejected()
    {
        Gen<string> values =
            from prefix in ArbMap.Default.GeneratorFor<string>()
            from bad in Gen.Elements("\r", "\n", "\0")
            from suffix in ArbMap.Default.GeneratorFor<string>()
            select (prefix ?? string.Empty) + bad + (suffix ?? string.Empty);
        return Prop.ForAll(values.ToArbitrary(), value =>
        {
            try
            {
                new ImapCommand("X").Space().AppendAString(value);
                return false;
            }
            catch (ArgumentException)
            {
                return true;
            }
        });
    }

    [Property(MaxTest = 500)]
    public Property SequenceSetFromNumbersRoundTrips()
    {
        return Prop.ForAll<uint[]>(numbers =>
        {
            uint[] expected = [.. numbers.Where(static n => n != uint.MaxValue).Distinct().Order()];
            SequenceSet set = SequenceSet.FromNumbers(expected);
            return set.Enumerate().SequenceEqual(expected);
        });
    }

    [Theory]
    [InlineData("INBOX", "INBOX")]
    [InlineData("", "\"\"")]
    [InlineData("NIL", "\"NIL\"")]
    [InlineData("a b", "\"a b\"")]
    [InlineData("a]b", "a]b")]
    [InlineData("50%", "\"50%\"")]
    [InlineData("q\"x", "\"q\\\"x\"")]
    public void AString_ChoosesForm(string value, string expected)
    {
        ImapCommand command = new ImapCommand("X").AppendAString(value);

        Assert.Equal("X" + expected, Encoding.UTF8.GetString(command.Parts.Single().Bytes!));
    }

    /// <summary>Reads back the single argument after "X " the way a server would.</summary>
    private static string Decode(IReadOnlyList<CommandPart> parts)
    {
        if (parts.Count == 2)
        {
            return Encoding.UTF8.GetString(parts[1].Bytes!);
        }

        string text = Encoding.UTF8.GetString(parts[0].Bytes!)[2..];
        if (!text.StartsWith('"'))
        {
            return text;
        }

        var builder = new StringBuilder();
        for (int i = 1; i < text.Length - 1; i++)
        {
            if (text[i] == '\\')
            {
                i++;
            }

            builder.Append(text[i]);
        }

        return builder.ToString();
    }
}
