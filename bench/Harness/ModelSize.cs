using RawMail.Protocols.Imap.Model;

namespace RawMail.Benchmarks.Harness;

/// <summary>
/// Adds up the heap size of the strings a parsed FETCH response owns, so the allocation measured per message can
/// be split into the model's own text and the parser's overhead. A string instance shared by several messages
/// (a cached or interned value) is counted once.
/// </summary>
internal sealed class ModelSize
{
    private readonly HashSet<string> _seen = new(ReferenceEqualityComparer.Instance);

    public long StringBytes { get; private set; }

    public void Add(FetchResponse fetch)
    {
        foreach (string keyword in fetch.Keywords)
        {
            AddString(keyword);
        }

        if (fetch.Envelope is { } envelope)
        {
            AddEnvelope(envelope);
        }

        if (fetch.BodyStructure is { } body)
        {
            AddBody(body);
        }
    }

    private void AddEnvelope(Envelope envelope)
    {
        AddString(envelope.DateText);
        AddString(envelope.Subject);
        AddString(envelope.InReplyTo);
        AddString(envelope.MessageId);
        foreach (AddressList list in new[]
            { envelope.From, envelope.Sender, envelope.ReplyTo, envelope.To, envelope.Cc, envelope.Bcc })
        {
            foreach (EnvelopeAddress address in list)
            {
                AddString(address.DisplayName);
                if (address is MailboxAddress mailbox)
                {
                    AddMailbox(mailbox);
                }
                else if (address is GroupAddress group)
                {
                    foreach (MailboxAddress member in group.Members)
                    {
                        AddString(member.DisplayName);
                        AddMailbox(member);
                    }
                }
            }
        }
    }

    private void AddMailbox(MailboxAddress mailbox)
    {
        AddString(mailbox.Route);
        AddString(mailbox.Mailbox);
        AddString(mailbox.Host);
    }

    private void AddBody(BodyPart part)
    {
        AddString(part.MediaType);
        AddString(part.MediaSubtype);
        AddString(part.PartSpecifier);
        AddString(part.Location);
        AddParameters(part.Parameters);
        foreach (string language in part.Languages)
        {
            AddString(language);
        }

        if (part.Disposition is { } disposition)
        {
            AddString(disposition.Type);
            AddParameters(disposition.Parameters);
        }

        if (part is SinglePart single)
        {
            AddString(single.ContentId);
            AddString(single.Description);
            AddString(single.Encoding);
            AddString(single.Md5);
        }

        if (part is MessagePart message)
        {
            if (message.Envelope is { } envelope)
            {
                AddEnvelope(envelope);
            }

            if (message.Body is { } body)
            {
                AddBody(body);
            }
        }
        else if (part is Multipart multipart)
        {
            foreach (BodyPart child in multipart.Children)
            {
                AddBody(child);
            }
        }
    }

    private void AddParameters(BodyParameters parameters)
    {
        foreach (KeyValuePair<string, string> parameter in parameters)
        {
            AddString(parameter.Key);
            AddString(parameter.Value);
        }
    }

    private void AddString(string? value)
    {
        if (value is null || value.Length == 0 || !_seen.Add(value))
        {
            return;
        }

        // A string on 64-bit .NET: 8-octet header, method table pointer, 4-octet length, UTF-16 text and a
        // terminating NUL, rounded up to 8 octets.
        long size = 8 + 8 + 4 + (2L * value.Length) + 2;
        StringBytes += (size + 7) & ~7L;
    }
}
