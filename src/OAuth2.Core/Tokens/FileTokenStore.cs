using System.Text;

namespace RawMail.OAuth2;

/// <summary>Persistence for the client's current token.</summary>
public interface IOAuth2TokenStore
{
    /// <summary>Returns the stored token, or null when none is stored.</summary>
    ValueTask<OAuth2Token?> LoadAsync(CancellationToken cancellationToken);

    ValueTask SaveAsync(OAuth2Token token, CancellationToken cancellationToken);

    ValueTask DeleteAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Stores a token as JSON in one file readable only by its owner. The file contains the refresh token
/// in plain text, so it is protected by file permissions alone, not encrypted.
/// </summary>
public sealed class FileTokenStore : IOAuth2TokenStore
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public FileTokenStore(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = System.IO.Path.GetFullPath(path);
    }

    public string Path { get; }

    public async ValueTask<OAuth2Token?> LoadAsync(CancellationToken cancellationToken)
    {
        string json;
        try
        {
            json = await File.ReadAllTextAsync(Path, Encoding.UTF8, cancellationToken).ConfigureAwait(false);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }

        return OAuth2Token.FromJson(json);
    }

    /// <summary>
    /// Writes the token to a new temporary file in the same directory, created with mode 0600 on
    /// Unix so no other user can open it even briefly, then renames it over the old file. A reader
    /// sees the old or the new token, never a half-written one.
    /// </summary>
    public async ValueTask SaveAsync(OAuth2Token token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        string directory = System.IO.Path.GetDirectoryName(Path)!;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            // A directory created here is private too; an existing one keeps its mode.
            Directory.CreateDirectory(directory, OwnerReadWrite | UnixFileMode.UserExecute);
        }
        string temporaryPath = System.IO.Path.Combine(
            directory, $".{System.IO.Path.GetFileName(Path)}.{Guid.NewGuid():N}.tmp");

        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            Options = FileOptions.Asynchronous,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerReadWrite;
        }

        try
        {
            FileStream stream = new(temporaryPath, options);
            await using (stream.ConfigureAwait(false))
            {
                byte[] bytes = Encoding.UTF8.GetBytes(token.ToJson());
                await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporaryPath, Path, overwrite: true);
        }
        catch
        {
            File.Delete(temporaryPath);
            throw;
        }
    }

    public ValueTask DeleteAsync(CancellationToken cancellationToken)
    {
        File.Delete(Path);
        return ValueTask.CompletedTask;
    }
}
