using RawMail.Protocols.Imap;
using RawMail.Protocols.Imap.Model;

namespace RawMail.Imap.Tests.Client;

public sealed class PipelineRulesTests
{
    private static readonly Dictionary<string, PipelineRules> s_rules = new()
    {
        ["SELECT"] = PipelineRules.ForName("SELECT"),
        ["NOOP"] = PipelineRules.ForName("NOOP"),
        ["EXPUNGE"] = PipelineRules.ForName("EXPUNGE"),
        ["UID MOVE"] = PipelineRules.ForName("UID MOVE"),
        ["UID COPY"] = PipelineRules.ForName("UID COPY"),
        ["LIST"] = PipelineRules.ForName("LIST"),
        ["ID"] = PipelineRules.ForName("ID"),
        ["UID FETCH 1:5"] = PipelineRules.ForMessages(SequenceSet.Range(1, 5), uid: true),
        ["UID FETCH 5:9"] = PipelineRules.ForMessages(SequenceSet.Range(5, 9), uid: true),
        ["UID FETCH 6:9"] = PipelineRules.ForMessages(SequenceSet.Range(6, 9), uid: true),
        ["UID FETCH 7:*"] = PipelineRules.ForMessages(SequenceSet.Range(7, uint.MaxValue), uid: true),
        ["UID FETCH 6 body"] = PipelineRules.ForMessages(SequenceSet.Of(6), uid: true, streamsBody: true),
        ["FETCH 1"] = PipelineRules.ForMessages(SequenceSet.Of(1), uid: false),
        ["FETCH 2"] = PipelineRules.ForMessages(SequenceSet.Of(2), uid: false),
        ["SEARCH"] = PipelineRules.ForSearch(uid: false, tagCorrelated: false),
        ["UID SEARCH"] = PipelineRules.ForSearch(uid: true, tagCorrelated: false),
        ["UID ESEARCH"] = PipelineRules.ForSearch(uid: true, tagCorrelated: true),
        ["STATUS A"] = PipelineRules.ForStatus("A"),
        ["STATUS B"] = PipelineRules.ForStatus("B"),
        ["LIST-STATUS"] = new PipelineRules { Results = ResultKind.List, ListsStatus = true },
    };

    [Theory]
    [InlineData("SELECT", "NOOP", true)]
    [InlineData("NOOP", "NOOP", false)]
    [InlineData("FETCH 1", "NOOP", true)]
    [InlineData("FETCH 1", "EXPUNGE", true)]
    [InlineData("FETCH 1", "UID MOVE", true)]
    [InlineData("FETCH 1", "UID FETCH 6:9", true)]
    [InlineData("FETCH 1", "FETCH 2", false)]
    [InlineData("FETCH 1", "FETCH 1", true)]
    [InlineData("FETCH 1", "SEARCH", false)]
    [InlineData("SEARCH", "NOOP", true)]
    [InlineData("UID FETCH 1:5", "EXPUNGE", false)]
    [InlineData("UID FETCH 1:5", "UID FETCH 5:9", true)]
    [InlineData("UID FETCH 1:5", "UID FETCH 6:9", false)]
    [InlineData("UID FETCH 1:5", "UID FETCH 7:*", true)]
    [InlineData("UID FETCH 1:5", "UID FETCH 6 body", true)]
    [InlineData("UID SEARCH", "UID SEARCH", true)]
    [InlineData("UID ESEARCH", "UID ESEARCH", false)]
    [InlineData("UID ESEARCH", "UID SEARCH", true)]
    [InlineData("STATUS A", "STATUS B", false)]
    [InlineData("STATUS A", "STATUS A", true)]
    [InlineData("LIST-STATUS", "STATUS A", true)]
    [InlineData("LIST-STATUS", "LIST", true)]
    [InlineData("LIST", "LIST", true)]
    [InlineData("LIST", "STATUS A", false)]
    [InlineData("UID COPY", "UID MOVE", false)]
    [InlineData("UID MOVE", "UID MOVE", true)]
    [InlineData("ID", "ID", true)]
    [InlineData("ID", "LIST", false)]
    public void Conflicts_AreSymmetric(string first, string second, bool expected)
    {
        Assert.Equal(expected, s_rules[first].ConflictsWith(s_rules[second]));
        Assert.Equal(expected, s_rules[second].ConflictsWith(s_rules[first]));
    }

    [Theory]
    [InlineData("STARTTLS")]
    [InlineData("AUTHENTICATE")]
    [InlineData("LOGIN")]
    [InlineData("COMPRESS")]
    [InlineData("IDLE")]
    [InlineData("SELECT")]
    [InlineData("EXAMINE")]
    [InlineData("CLOSE")]
    [InlineData("UNSELECT")]
    [InlineData("LOGOUT")]
    [InlineData("ENABLE")]
    public void SessionCommands_AreExclusive(string name)
    {
        Assert.True(PipelineRules.ForName(name).Exclusive);
    }

    [Fact]
    public void Noop_KeepsNoUntaggedText()
    {
        var hello = new UntaggedStatusResponse(ImapResponseStatus.Ok, null, "hello");

        Assert.False(PipelineRules.ForName("NOOP").Collects(hello));
    }

    [Fact]
    public void Move_KeepsCopyUid()
    {
        var copyUid = new UntaggedStatusResponse(ImapResponseStatus.Ok,
            new CopyUidResponseCode("1 2 3", 1, SequenceSet.Of(2), SequenceSet.Of(3)), "moved");

        Assert.True(PipelineRules.ForName("UID MOVE").Collects(copyUid));
    }

    [Fact]
    public void Status_KeepsItsStatus()
    {
        Assert.True(s_rules["STATUS A"].Collects(new MailboxStatus("A", "A")));
    }

    [Fact]
    public void List_KeepsStatusOnlyWithListStatus()
    {
        var status = new MailboxStatus("A", "A");

        Assert.False(s_rules["LIST"].Collects(status));
        Assert.True(s_rules["LIST-STATUS"].Collects(status));
    }

    [Fact]
    public void Search_KeepsNoStatus()
    {
        Assert.False(s_rules["UID SEARCH"].Collects(new MailboxStatus("A", "A")));
    }

    [Fact]
    public void Search_KeepsSearchData()
    {
        Assert.True(s_rules["UID SEARCH"].Collects(new SearchResponse([4, 7], modSeq: null)));
    }
}
