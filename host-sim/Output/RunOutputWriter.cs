using System;
using System.IO;
using System.Text;

namespace EmbeddedMpc.HostSim.Output;

/// <summary>
/// Writes a run's outputs (summary.json, log.csv, state.png, command.png, planning-time.png, and for a
/// hardware-in-the-loop run link.csv) into an
/// output directory. Everything is first written into a fresh staging directory beside it and only
/// moved into place once all files exist, so a failure leaves the output directory as it was.
/// </summary>
public static class RunOutputWriter
{
    /// <summary>The files a run writes.</summary>
    public static readonly string[] FileNames = ["summary.json", "log.csv", "state.png", "command.png", "planning-time.png"];

    /// <summary>The files a hardware-in-the-loop run writes: those of a run and link.csv.</summary>
    public static readonly string[] HilFileNames = [.. FileNames, "link.csv"];

    /// <summary>The files <paramref name="run"/> writes.</summary>
    public static string[] FileNamesFor(Simulation.RunResult run) => run.Link is null ? FileNames : HilFileNames;

    /// <summary>Writes all outputs of <paramref name="run"/> into <paramref name="directory"/> (created if missing).</summary>
    /// <exception cref="IOException">The directory cannot be created or written.</exception>
    public static void Write(Simulation.RunResult run, string directory)
    {
        string target = Path.GetFullPath(directory);
        string parent = Path.GetDirectoryName(target) ?? target;
        Directory.CreateDirectory(parent);
        string staging = Path.Combine(parent, $".{Path.GetFileName(target)}.staging-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            File.WriteAllText(Path.Combine(staging, "summary.json"), RunSummary.From(run).ToJson() + "\n", new UTF8Encoding(false));
            using (var writer = new StreamWriter(Path.Combine(staging, "log.csv"), false, new UTF8Encoding(false)))
            {
                CsvLogWriter.Write(run, writer);
            }

            PlotWriter.WriteState(run, Path.Combine(staging, "state.png"));
            PlotWriter.WriteCommand(run, Path.Combine(staging, "command.png"));
            PlotWriter.WritePlanning(run, Path.Combine(staging, "planning-time.png"));
            if (run.Link is not null)
            {
                using var writer = new StreamWriter(Path.Combine(staging, "link.csv"), false, new UTF8Encoding(false));
                LinkLogWriter.Write(run.Link, writer);
            }

            Directory.CreateDirectory(target);
            foreach (string name in FileNamesFor(run))
            {
                File.Move(Path.Combine(staging, name), Path.Combine(target, name), overwrite: true);
            }
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }
}
