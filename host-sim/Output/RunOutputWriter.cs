using System;
using System.IO;
using System.Text;

namespace EmbeddedMpc.HostSim.Output;

/// <summary>
/// Writes a run's outputs (summary.json, log.csv, state.png, command.png, planning-time.png, energy.png,
/// phase.png, replay.html, and for a
/// hardware-in-the-loop run link.csv) into an
/// output directory. Everything is first written into a fresh staging directory beside it and only
/// moved into place once all files exist (<see cref="StagedOutput"/>), so a failure or an interrupt leaves the
/// output directory as it was.
/// </summary>
public static class RunOutputWriter
{
    /// <summary>The files a run writes.</summary>
    public static readonly string[] FileNames = ["summary.json", "log.csv", "state.png", "command.png", "planning-time.png", "energy.png", "phase.png", "replay.html"];

    /// <summary>The files a hardware-in-the-loop run writes: those of a run and link.csv.</summary>
    public static readonly string[] HilFileNames = [.. FileNames, "link.csv"];

    /// <summary>The animated GIF a run writes on request.</summary>
    public const string GifFileName = "replay.gif";

    /// <summary>The files <paramref name="run"/> writes (with replay.gif when <paramref name="gif"/>).</summary>
    public static string[] FileNamesFor(Simulation.RunResult run, bool gif = false) =>
        [.. run.Link is null ? FileNames : HilFileNames, .. gif ? new[] { GifFileName } : []];

    /// <summary>Writes all outputs of <paramref name="run"/> into <paramref name="directory"/> (created if missing).</summary>
    /// <exception cref="IOException">The directory cannot be created or written.</exception>
    /// <param name="run">The run.</param>
    /// <param name="directory">The output directory.</param>
    /// <param name="gif">Also write replay.gif (<see cref="GifWriter"/>).</param>
    public static void Write(Simulation.RunResult run, string directory, bool gif = false)
    {
        using StagedOutput output = StagedOutput.Begin(directory);
        File.WriteAllText(output.PathOf("summary.json"), RunSummary.From(run).ToJson() + "\n", new UTF8Encoding(false));
        using (var writer = new StreamWriter(output.PathOf("log.csv"), false, new UTF8Encoding(false)))
        {
            CsvLogWriter.Write(run, writer);
        }

        PlotWriter.WriteState(run, output.PathOf("state.png"));
        PlotWriter.WriteCommand(run, output.PathOf("command.png"));
        PlotWriter.WritePlanning(run, output.PathOf("planning-time.png"));
        EnergyPlotWriter.WriteEnergy(run, output.PathOf("energy.png"));
        EnergyPlotWriter.WritePhase(run, output.PathOf("phase.png"));
        using (var writer = new StreamWriter(output.PathOf("replay.html"), false, new UTF8Encoding(false)))
        {
            ReplayWriter.Write(run, writer);
        }
        if (run.Link is not null)
        {
            using var writer = new StreamWriter(output.PathOf("link.csv"), false, new UTF8Encoding(false));
            LinkLogWriter.Write(run.Link, writer);
        }

        if (gif)
        {
            GifWriter.Write(run, output.PathOf(GifFileName));
        }

        output.Commit(FileNamesFor(run, gif));
    }
}
