using System;
using System.Collections.Generic;
using System.IO;

namespace EmbeddedMpc.HostSim.Output;

/// <summary>
/// All-or-nothing outputs: a command writes into a fresh staging directory beside its output directory
/// (<c>.&lt;name&gt;.staging-&lt;guid&gt;</c>) and <see cref="Commit"/> moves the finished entries in.
/// Disposing deletes the staging directory, whatever happened; an interrupted process deletes every
/// staging directory still open (<see cref="DeleteAllOpen"/>, called by <see cref="Interruption"/>), so
/// neither an error nor Ctrl+C leaves debris or a half-written output directory.
/// </summary>
public sealed class StagedOutput : IDisposable
{
    private static readonly object s_gate = new();
    private static readonly HashSet<string> s_open = new(StringComparer.Ordinal);

    private StagedOutput(string target, string staging)
    {
        TargetDirectory = target;
        StagingDirectory = staging;
    }

    /// <summary>The output directory (full path).</summary>
    public string TargetDirectory { get; }

    /// <summary>The staging directory the outputs are written into (full path).</summary>
    public string StagingDirectory { get; }

    /// <summary>The staging path of the entry <paramref name="name"/> (a file or a directory name).</summary>
    public string PathOf(string name) => Path.Combine(StagingDirectory, name);

    /// <summary>
    /// Checks, before any computing, that <paramref name="directory"/> can take outputs: it is a directory
    /// or does not exist yet, and its nearest existing ancestor lets us create entries.
    /// </summary>
    /// <param name="directory">The output directory.</param>
    /// <param name="optionName">The option that named it, for the message (e.g. "--out").</param>
    /// <exception cref="ArgumentException">It is a file, lies under a file, or cannot be written (the message names the option).</exception>
    public static void RequireWritable(string directory, string optionName = "--out")
    {
        string target = Path.GetFullPath(directory);
        if (File.Exists(target))
        {
            throw new ArgumentException($"{optionName} '{directory}' is a file; accepted: a directory (created if missing).");
        }

        string? existing = target;
        while (existing is not null && !Directory.Exists(existing))
        {
            if (File.Exists(existing))
            {
                throw new ArgumentException($"{optionName} '{directory}' lies under the file '{existing}'; accepted: a directory (created if missing).");
            }

            existing = Path.GetDirectoryName(existing);
        }

        if (existing is null)
        {
            throw new ArgumentException($"{optionName} '{directory}' has no existing parent directory.");
        }

        // The staging directory goes beside the target, so the target's parent must take a new entry,
        // and an existing target must take files.
        string parent = Directory.Exists(target) ? target : existing;
        string probe = Path.Combine(parent, $".write-check-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(probe);
            Directory.Delete(probe);
            if (Directory.Exists(target) && Path.GetDirectoryName(target) is string outer)
            {
                string outerProbe = Path.Combine(outer, $".write-check-{Guid.NewGuid():N}");
                Directory.CreateDirectory(outerProbe);
                Directory.Delete(outerProbe);
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"{optionName} '{directory}' cannot be written ({error.Message}); accepted: a directory you may write to.");
        }
    }

    /// <summary>Opens a staging directory for <paramref name="directory"/> (whose parent is created if missing).</summary>
    /// <exception cref="IOException">The staging directory cannot be created.</exception>
    public static StagedOutput Begin(string directory)
    {
        string target = Path.GetFullPath(directory);
        string parent = Path.GetDirectoryName(target) ?? target;
        Directory.CreateDirectory(parent);
        string staging = Path.Combine(parent, $".{Path.GetFileName(target)}.staging-{Guid.NewGuid():N}");
        lock (s_gate)
        {
            Directory.CreateDirectory(staging);
            s_open.Add(staging);
        }

        return new StagedOutput(target, staging);
    }

    /// <summary>
    /// Moves the staged entries <paramref name="names"/> (files or directories) into the output directory,
    /// replacing entries of the same name; first deletes <paramref name="staleNames"/> there (entries an
    /// earlier run wrote that this one does not replace).
    /// </summary>
    /// <exception cref="IOException">An entry cannot be moved.</exception>
    public void Commit(IEnumerable<string> names, IEnumerable<string>? staleNames = null)
    {
        Directory.CreateDirectory(TargetDirectory);
        foreach (string stale in staleNames ?? [])
        {
            Delete(Path.Combine(TargetDirectory, stale));
        }

        foreach (string name in names)
        {
            string source = PathOf(name);
            string destination = Path.Combine(TargetDirectory, name);
            if (Directory.Exists(source))
            {
                Delete(destination);
                Directory.Move(source, destination);
            }
            else
            {
                File.Move(source, destination, overwrite: true);
            }
        }
    }

    /// <summary>Deletes the staging directory (and whatever was not committed).</summary>
    public void Dispose()
    {
        lock (s_gate)
        {
            s_open.Remove(StagingDirectory);
            Delete(StagingDirectory);
        }
    }

    /// <summary>Deletes every staging directory still open (on an interrupt, before the process exits).</summary>
    public static void DeleteAllOpen()
    {
        lock (s_gate)
        {
            foreach (string staging in s_open)
            {
                try
                {
                    Delete(staging);
                }
                catch (Exception error) when (error is IOException or UnauthorizedAccessException)
                {
                    // Best effort: the process is exiting; a file still open elsewhere may keep its directory.
                }
            }

            s_open.Clear();
        }
    }

    private static void Delete(string path)
    {
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
        else if (File.Exists(path))
        {
            File.Delete(path);
        }
    }
}
