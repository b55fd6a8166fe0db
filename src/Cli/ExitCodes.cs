namespace RawMail.Cli;

/// <summary>The process exit codes, one per kind of failure, so scripts can branch without parsing text.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Other = 1;
    public const int Usage = 2;
    public const int Connection = 3;
    public const int Tls = 4;
    public const int Authentication = 5;
    public const int CommandRejected = 6;
    public const int OAuth = 7;

    /// <summary>The table shown at the end of the root command's help and in the README.</summary>
    public const string Table = """
        Exit codes:
          0  success
          1  other failure
          2  usage error (unknown option, missing or invalid value)
          3  connection failed, timed out or closed by the server
          4  TLS handshake or server certificate validation failed
          5  authentication failed (wrong password, invalid or expired token)
          6  the server rejected a command (NO, BAD, 4xx, 5xx, -ERR)
          7  OAuth 2.0 error (token request rejected, invalid client, sign-in failed)
        """;
}
