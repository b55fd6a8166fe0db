using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("RawMail.OAuth2.Tests")]
