using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using EmbeddedMpc.HostSim.Output;
using EmbeddedMpc.HostSim.Simulation;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace EmbeddedMpc.Tests.Cli;

/// <summary>
/// replay.html in a real browser: Debian's chromium, headless, with a fresh profile and no network
/// services. The page writes its state into #status, which --dump-dom shows: "#selftest" renders the
/// first frame and the frame at task time 1 s and says whether the canvas differs.
/// </summary>
[TestClass]
public sealed class ReplayBrowserTests : CliTestBase
{
    [TestMethod]
    public void TheReplayRunsInHeadlessChromiumWithoutAScriptErrorAndItsFramesMove()
    {
        RunResult run = ClosedLoopRun.Execute(new RunSettings { Planner = "icem-dm", DurationSeconds = 3, Seed = 2 });
        string output = Path.Combine(WorkDirectory, "run");
        RunOutputWriter.Write(run, output);
        string replay = Path.Combine(output, "replay.html");
        string html = File.ReadAllText(replay);

        // Self-contained: no script, style or image from anywhere.
        Assert.IsFalse(Regex.IsMatch(html, @"(src|href)\s*=\s*[""']?(https?:|//)", RegexOptions.IgnoreCase), "replay.html loads something from the network");
        Assert.IsTrue(run.Predictions!.Count == run.Log.Count, "one prediction row per tick");
        Assert.IsTrue(Enumerable.Range(0, run.Log.Count).Any(i => run.Predictions.PointsOf(i).Length > 0), "the planner's predictions are recorded");

        string selfTest = DumpDom(new Uri(replay).AbsoluteUri + "#selftest");
        StringAssert.Contains(selfTest, "selftest ok: frames differ", Status(selfTest));
        string opened = DumpDom(new Uri(replay).AbsoluteUri + "#t=1.5");
        StringAssert.Contains(opened, $"ready: {run.Log.Count} frames", Status(opened));
    }

    private static string Status(string dom) => Regex.Match(dom, "<div id=\"status\">[^<]*").Value;

    private string DumpDom(string url)
    {
        string browser = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists)
            ?? throw new AssertFailedException("chromium is not installed (apt-get install -y chromium; .ci/run installs it)");
        var start = new ProcessStartInfo(browser)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string profile = Path.Combine(WorkDirectory, "chromium-profile-" + Guid.NewGuid().ToString("N"));
        foreach (string argument in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
            "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile, "--dump-dom", url,
        })
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        string dom = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("chromium did not finish within 120 s");
        }

        Assert.AreEqual(0, process.ExitCode, $"chromium failed: {error.Result}");
        return dom;
    }
}

/// <summary>`run --gif`: an animated GIF of the swing-up, small enough for a README.</summary>
[TestClass]
public sealed class ReplayGifTests : CliTestBase
{
    [TestMethod]
    public void RunWithGifWritesAnAnimationWhoseFramesMove()
    {
        string output = Path.Combine(WorkDirectory, "gif");
        CliResult result = Run("run", "--planner", "icem-dm", "--profile", "dm-control", "--duration", "3", "--gif", "--out", output);
        Assert.AreEqual(0, result.ExitCode, result.ToString());
        string gif = Path.Combine(output, RunOutputWriter.GifFileName);
        // Under 1 MB: it is meant for documentation pages.
        Assert.IsTrue(new FileInfo(gif).Length < 1_000_000, $"{new FileInfo(gif).Length} bytes");

        using var image = SixLabors.ImageSharp.Image.Load<SixLabors.ImageSharp.PixelFormats.Rgba32>(gif);
        // 25 frames per second over the 3 s task (dm-control starts homed: nothing before it): 75 frames.
        Assert.AreEqual(75, image.Frames.Count, 1, $"{image.Frames.Count} frames");
        using var first = image.Frames.CloneFrame(0);
        using var later = image.Frames.CloneFrame(image.Frames.Count / 2);
        var a = new SixLabors.ImageSharp.PixelFormats.Rgba32[first.Width * first.Height];
        var b = new SixLabors.ImageSharp.PixelFormats.Rgba32[a.Length];
        first.CopyPixelDataTo(a);
        later.CopyPixelDataTo(b);
        Assert.IsFalse(a.AsSpan().SequenceEqual(b), "the pole moves between the first frame and the middle one");
    }
}
