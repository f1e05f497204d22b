namespace Rebind.Testing;

/// <summary>A Linux process's threads as <c>/proc</c> shows them: each one's name and its <c>stat</c> line.</summary>
public static class LinuxThreads
{
    /// <summary>
    /// The threads of process <paramref name="pid"/> that are still there when their files are read: a thread that ends
    /// between the listing of <c>/proc/&lt;pid&gt;/task</c> and the read of its files is left out.
    /// </summary>
    public static List<(string Name, string Stat)> Of(int pid)
    {
        var threads = new List<(string Name, string Stat)>();
        foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            try
            {
                threads.Add((File.ReadAllText(Path.Combine(task, "comm")).Trim(), File.ReadAllText(Path.Combine(task, "stat"))));
            }
            catch (IOException)
            {
                // The thread ended meanwhile.
            }
        }
        return threads;
    }
}
