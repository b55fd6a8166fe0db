namespace RawMail.OAuth2.Tests;

public sealed class TokenStorageTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "rawmail-oauth2-" + Guid.NewGuid().ToString("N"));

    private static OAuth2Token SampleToken() => new()
    {
        AccessToken = "access",
        TokenType = "Bearer",
        RefreshToken = "refresh",
        ExpiresAt = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
        Scopes = ["openid", "https://mail.google.com/"],
        IdToken = "id.token.sig",
        ExtraFields = new Dictionary<string, string> { ["ext_expires_in"] = "3599" },
    };

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void JsonRoundTrip()
    {
        OAuth2Token token = OAuth2Token.FromJson(SampleToken().ToJson());

        Assert.Equal("access", token.AccessToken);
        Assert.Equal("Bearer", token.TokenType);
        Assert.Equal("refresh", token.RefreshToken);
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), token.ExpiresAt);
        Assert.Equal(["openid", "https://mail.google.com/"], token.Scopes);
        Assert.Equal("id.token.sig", token.IdToken);
        Assert.Equal("3599", token.ExtraFields["ext_expires_in"]);
    }

    [Fact]
    public void JsonUsesSnakeCase()
    {
        string json = new OAuth2Token { AccessToken = "a", ExpiresAt = DateTimeOffset.UnixEpoch }.ToJson();

        Assert.Equal(
            "{\"access_token\":\"a\",\"token_type\":\"Bearer\",\"expires_at\":\"1970-01-01T00:00:00+00:00\"," +
            "\"scopes\":[],\"extra_fields\":{}}",
            json);
    }

    [Fact]
    public async Task StoreRoundTrip()
    {
        var store = new FileTokenStore(Path.Combine(_directory, "token.json"));

        await store.SaveAsync(SampleToken(), CancellationToken.None);
        OAuth2Token? loaded = await store.LoadAsync(CancellationToken.None);

        Assert.Equal("refresh", loaded!.RefreshToken);
    }

    [Fact]
    public async Task StoreMissingFile()
    {
        var store = new FileTokenStore(Path.Combine(_directory, "none", "token.json"));

        Assert.Null(await store.LoadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task StoreOwnerOnlyMode()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        string path = Path.Combine(_directory, "token.json");
        var store = new FileTokenStore(path);

        await store.SaveAsync(SampleToken(), CancellationToken.None);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public async Task StoreCreatesPrivateDirectory()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        string directory = Path.Combine(_directory, "nested");
        var store = new FileTokenStore(Path.Combine(directory, "token.json"));

        await store.SaveAsync(SampleToken(), CancellationToken.None);

        Assert.Equal(
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(directory));
    }

    [Fact]
    public async Task StoreReplacesAtomically()
    {
        string path = Path.Combine(_directory, "token.json");
        var store = new FileTokenStore(path);
        await store.SaveAsync(SampleToken(), CancellationToken.None);
        using FileStream reader = new(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);

        await store.SaveAsync(new OAuth2Token { AccessToken = "second" }, CancellationToken.None);

        // The open handle still reads the complete old file, because the new one was renamed over it.
        using var oldContent = new StreamReader(reader);
        Assert.Equal("refresh", OAuth2Token.FromJson(await oldContent.ReadToEndAsync()).RefreshToken);
        Assert.Equal("second", (await store.LoadAsync(CancellationToken.None))!.AccessToken);
        Assert.Equal(["token.json"], Directory.GetFiles(_directory).Select(Path.GetFileName));
    }
}
