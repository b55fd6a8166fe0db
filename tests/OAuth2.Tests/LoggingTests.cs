using System.Net;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace RawMail.OAuth2.Tests;

public sealed class LoggingTests
{
    private static readonly DateTimeOffset s_now = new(2026, 1, 2, 3, 0, 0, TimeSpan.Zero);

    /// <summary>Runs a refresh, a failed refresh and a client credentials grant, and returns what was logged.</summary>
    private static async Task<List<string>> RunFlowsAsync(string secret, string refreshToken, string accessToken)
    {
        var logger = new CapturingLogger();
        var handler = new ScriptedHttpHandler()
            .Respond(HttpStatusCode.OK,
                $"{{\"access_token\":\"{accessToken}\",\"token_type\":\"Bearer\",\"expires_in\":1,\"refresh_token\":\"{refreshToken}2\"}}")
            .Respond(HttpStatusCode.BadRequest, $"{{\"error\":\"invalid_grant\",\"error_description\":\"bad {refreshToken}2\"}}")
            .Respond(HttpStatusCode.OK, $"{{\"access_token\":\"{accessToken}\",\"token_type\":\"Bearer\"}}");
        var clock = new ManualTimeProvider(s_now);
        var options = new OAuth2ProviderOptions
        {
            Provider = OAuth2Provider.Microsoft,
            ClientId = "client",
            ClientSecret = secret,
            Token = new OAuth2Token { AccessToken = "old", RefreshToken = refreshToken, ExpiresAt = s_now },
            AllowInteractive = false,
            HttpClient = new HttpClient(handler),
            Logger = logger,
            TimeProvider = clock,
        };
        options.Scopes.Add("scope");
        using (var client = new OAuth2Client(options))
        {
            await client.GetTokenAsync(CancellationToken.None);
            clock.Advance(TimeSpan.FromHours(1));
            await Assert.ThrowsAsync<OAuth2InteractionRequiredException>(() => client.GetTokenAsync(CancellationToken.None));
        }

        options.Permission = OAuth2PermissionMode.Service;
        options.Token = null;
        using (var service = new OAuth2Client(options))
        {
            await service.GetTokenAsync(CancellationToken.None);
        }

        return logger.Entries;
    }

    [Fact]
    public async Task SecretsNeverLogged()
    {
        List<string> entries = await RunFlowsAsync("SECRET-f00d", "REFRESH-cafe", "ACCESS-beef");

        Assert.NotEmpty(entries);
        Assert.DoesNotContain(entries, entry => entry.Contains("SECRET-f00d", StringComparison.Ordinal));
        Assert.DoesNotContain(entries, entry => entry.Contains("REFRESH-cafe", StringComparison.Ordinal));
        Assert.DoesNotContain(entries, entry => entry.Contains("ACCESS-beef", StringComparison.Ordinal));
    }

    [Property(MaxTest = 20)]
    public Property ArbitrarySecretsNeverLogged()
    {
        Arbitrary<string> secrets = Gen.Elements("abcdefghijklmnopqrstuvwxyz0123456789".ToCharArray())
            .ArrayOf(24)
            .Select(chars => "Z" + new string(chars))
            .ToArbitrary();

        return Prop.ForAll(secrets, secrets, secrets, (secret, refresh, access) =>
        {
            List<string> entries = RunFlowsAsync(secret, refresh, access).GetAwaiter().GetResult();
            return entries.All(entry => !entry.Contains(secret, StringComparison.Ordinal)
                && !entry.Contains(refresh, StringComparison.Ordinal)
                && !entry.Contains(access, StringComparison.Ordinal));
        });
    }
}
