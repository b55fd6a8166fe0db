using RawMail.TestSupport;

namespace RawMail.Cli.Tests;

[Collection(LocalServersFixture.CollectionName)]
public sealed class DemoTests(LocalServersFixture fixture)
{
    [RequiresServersFact]
    public async Task Demo_Succeeds()
    {
        string log = Path.GetTempFileName();
        try
        {
            RunResult result = await RawMailProcess.RunAsync(
                ["demo", "--log", log],
                new Dictionary<string, string> { ["RAWMAIL_STATE"] = fixture.Servers.StateDirectory });

            Assert.True(result.ExitCode == 0, result.AllOutput);
            Assert.Contains("Demo succeeded", result.StandardOutput, StringComparison.Ordinal);
            TestUser alice = fixture.Servers.User("alice");
            SecretAssert.NotLeaked(result.AllOutput + File.ReadAllText(log), alice.Email, alice.Password);
        }
        finally
        {
            File.Delete(log);
        }
    }
}
