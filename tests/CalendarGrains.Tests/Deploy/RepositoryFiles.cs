namespace CalendarGrains.Tests.Deploy;

/// <summary>Files of this repository, found from the test binaries upwards.</summary>
public static class RepositoryFiles
{
    private static readonly Lazy<string> RootPath = new(() =>
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CalendarGrains.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No CalendarGrains.sln above {AppContext.BaseDirectory}.");
    });

    public static string Root => RootPath.Value;

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    public static string Read(string relative) => File.ReadAllText(PathOf(relative));
}
