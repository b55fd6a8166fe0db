using RawMail.Protocols.Imap.Model;
using RawMail.Transport;

namespace RawMail.Protocols.Imap;

public sealed partial class ImapClient
{
    /// <summary>
    /// Applies untagged data to the session: capabilities, the selected mailbox's counts and flags, and the events.
    /// Servers may send any of it during any command (RFC 9051 section 7), so every command passes it here.
    /// </summary>
    private void HandleUntagged(ImapResponse response, bool expectsBye)
    {
        SelectedMailbox? mailbox = _selecting ?? Selected;
        switch (response)
        {
            case UntaggedStatusResponse status:
                HandleStatus(status, expectsBye);
                break;
            case CapabilityResponse { IsEnabled: true } enabled:
                _enabled = new HashSet<string>(_enabled.Concat(enabled.Capabilities),
                    StringComparer.OrdinalIgnoreCase);
                _parser.Utf8Accept = IsUtf8Enabled;
                break;
            case CapabilityResponse capability:
                SetCapabilities(capability.Capabilities);
                break;
            case NumberResponse number when mailbox is not null:
                HandleNumber(number, mailbox);
                break;
            case FlagsResponse flags when mailbox is not null:
                mailbox.Flags = flags.Flags;
                mailbox.Keywords = flags.Keywords;
                break;
            case FetchResponse fetch:
                HandleFetch(fetch, mailbox);
                break;
            case VanishedResponse vanished:
                HandleVanished(vanished, mailbox);
                break;
            case MailboxInfo info:
                RememberWireName(info.Name, info.EncodedName);
                break;
        }
    }

    private void HandleStatus(UntaggedStatusResponse status, bool expectsBye)
    {
        if (status.Code is { } code)
        {
            HandleCode(code, status.Text);
        }

        if (status.Status != ImapResponseStatus.Bye)
        {
            return;
        }

        if (expectsBye)
        {
            State = ImapSessionState.LoggedOut;
            return;
        }

        // RFC 9051 section 7.1.5: BYE means the server is closing the connection now. Waiting for the tagged
        // completion would hang, so every pending command fails at once.
        State = ImapSessionState.LoggedOut;
        _connection.Abort(ProtocolErrorReason.ServerShutdown,
            "Connection closed by server: " + ProtocolText.Escape(status.Text, 512));
    }

    private void HandleCode(ResponseCode code, string text)
    {
        SelectedMailbox? mailbox = _selecting ?? Selected;
        switch (code)
        {
            case { Kind: ResponseCodeKind.Alert }:
                Alert?.Invoke(this, new AlertEventArgs(text));
                break;
            case CapabilityResponseCode capability:
                SetCapabilities(capability.Capabilities);
                break;
            case FlagsResponseCode permanent when mailbox is not null:
                mailbox.PermanentFlags = permanent.Flags;
                mailbox.PermanentKeywords = permanent.Keywords;
                break;
            case NumberResponseCode number when mailbox is not null:
                HandleNumberCode(number, mailbox);
                break;
            case { Kind: ResponseCodeKind.ReadOnly } when mailbox is not null:
                mailbox.IsReadOnly = true;
                break;
            case { Kind: ResponseCodeKind.ReadWrite } when mailbox is not null:
                mailbox.IsReadOnly = false;
                break;
            case { Kind: ResponseCodeKind.NoModSeq } when mailbox is not null:
                mailbox.NoModSeq = true;
                break;
        }
    }

    private static void HandleNumberCode(NumberResponseCode code, SelectedMailbox mailbox)
    {
        uint small = (uint)Math.Min(code.Value, uint.MaxValue);
        switch (code.Kind)
        {
            case ResponseCodeKind.UidNext:
                mailbox.UidNext = small;
                break;
            case ResponseCodeKind.UidValidity:
                mailbox.UidValidity = small;
                break;
            case ResponseCodeKind.Unseen:
                mailbox.FirstUnseen = small;
                break;
            case ResponseCodeKind.HighestModSeq:
                mailbox.HighestModSeq = code.Value;
                break;
        }
    }

    private void HandleNumber(NumberResponse number, SelectedMailbox mailbox)
    {
        switch (number.Kind)
        {
            case NumberResponseKind.Exists:
                mailbox.Count = number.Value;
                CountChanged?.Invoke(this, new CountChangedEventArgs(number.Value));
                break;
            case NumberResponseKind.Recent:
                mailbox.Recent = number.Value;
                break;
            case NumberResponseKind.Expunge:
                // RFC 9051 section 7.5.1: every message above the expunged one moves down by one at once, so the
                // count drops with each EXPUNGE, before the next one is read.
                if (mailbox.Count > 0)
                {
                    mailbox.Count--;
                }

                MessagesExpunged?.Invoke(this, new MessageExpungedEventArgs(number.Value));
                break;
        }
    }

    private void HandleFetch(FetchResponse fetch, SelectedMailbox? mailbox)
    {
        if (mailbox is not null && fetch.ModSeq is { } modSeq && modSeq > (mailbox.HighestModSeq ?? 0))
        {
            mailbox.HighestModSeq = modSeq;
        }

        if (fetch.Flags is not null)
        {
            FlagsChanged?.Invoke(this, new FlagsChangedEventArgs(fetch));
        }
    }

    private void HandleVanished(VanishedResponse vanished, SelectedMailbox? mailbox)
    {
        // VANISHED (EARLIER) reports expunges from before this session, which the message count never included.
        if (!vanished.IsEarlier && mailbox is not null)
        {
            long removed = vanished.Uids.Enumerate().LongCount();
            mailbox.Count = (uint)Math.Max(0, mailbox.Count - removed);
        }

        Vanished?.Invoke(this, new VanishedEventArgs(vanished));
    }
}
