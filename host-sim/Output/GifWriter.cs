using System;
using System.IO;
using EmbeddedMpc.Core.Safety;
using EmbeddedMpc.HostSim.Simulation;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing.Processors.Quantization;
using SkiaSharp;

namespace EmbeddedMpc.HostSim.Output;

/// <summary>
/// replay.gif (`run --gif`): the swing-up as an animated GIF, the same picture as replay.html (track,
/// limit switches, end stops, cart and pole, the planner's predicted pole-tip path, mode and duty) from
/// half a second before the task starts to <see cref="Seconds"/> into it, at 25 frames per second. Frames
/// are drawn with SkiaSharp and encoded with ImageSharp.
/// </summary>
public static class GifWriter
{
    /// <summary>Task time the animation ends at, s (it ends earlier with the run).</summary>
    public const double Seconds = 5.0;

    private const int Width = 480;
    private const int Height = 270;
    private const int TicksPerFrame = 2;

    /// <summary>Writes the animation of <paramref name="run"/> to <paramref name="path"/>.</summary>
    public static void Write(RunResult run, string path)
    {
        TickLog log = run.Log;
        double[] time = PlotParts.TaskTime(run);
        var parameters = run.Profile.CopyParameters();
        double track = parameters.TrackHalfLengthMeters;
        double poleLength = 2 * parameters.PivotToCenterOfMassMeters;
        double reach = track + Math.Max(run.Profile.EndStopOffsetMeters, run.Profile.LimitSwitchOffsetMeters) + poleLength + 0.05;
        float scale = (float)Math.Min((Width - 20) / (2 * reach), (Height / 2.0 - 16) / poleLength);
        float railY = Height / 2f + 8;
        float Sx(double x) => (float)(Width / 2.0 + x * scale);
        float Sy(double y) => (float)(railY - y * scale);

        using var surface = SKSurface.Create(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        SKCanvas canvas = surface.Canvas;
        using var stroke = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeCap = SKStrokeCap.Round };
        using var fill = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Fill };
        using var font = new SKFont(SKTypeface.Default, 15);
        using var dashes = SKPathEffect.CreateDash([5, 4], 0);

        using var gif = new Image<Rgba32>(Width, Height);
        gif.Metadata.GetGifMetadata().RepeatCount = 0;
        int first = Math.Max(0, Array.FindIndex(time, 0, log.Count, t => t >= -0.5));
        bool added = false;
        for (int i = first; i < log.Count && time[i] <= Seconds; i += TicksPerFrame)
        {
            canvas.Clear(SKColors.White);
            // Track, usable length, limit switches, end stops.
            stroke.Color = new SKColor(0x44, 0x44, 0x44);
            stroke.StrokeWidth = 3;
            canvas.DrawLine(Sx(-track - run.Profile.EndStopOffsetMeters), railY + 10, Sx(track + run.Profile.EndStopOffsetMeters), railY + 10, stroke);
            foreach (int side in new[] { -1, 1 })
            {
                stroke.Color = new SKColor(0xE0, 0x7B, 0x00);
                stroke.StrokeWidth = 1.5f;
                canvas.DrawLine(Sx(side * track), railY - 20, Sx(side * track), railY + 18, stroke);
                fill.Color = new SKColor(0xD6, 0x27, 0x28);
                canvas.DrawRect(Sx(side * (track + run.Profile.LimitSwitchOffsetMeters)) - 2, railY + 3, 4, 12, fill);
                fill.Color = new SKColor(0x22, 0x22, 0x22);
                canvas.DrawRect(Sx(side * (track + run.Profile.EndStopOffsetMeters)) + (side > 0 ? 0 : -7), railY - 4, 7, 22, fill);
            }

            double x = log.True[i].X;
            double theta = log.True[i].Theta;
            if (run.Predictions is PlanPredictions predictions && i < predictions.Count && predictions.PointsOf(i).Length >= 2)
            {
                ReadOnlySpan<float> points = predictions.PointsOf(i);
                using var tipPath = new SKPath();
                tipPath.MoveTo(Sx(x + poleLength * Math.Sin(theta)), Sy(poleLength * Math.Cos(theta)));
                for (int k = 0; k + 1 < points.Length; k += 2)
                {
                    tipPath.LineTo(Sx(points[k] + poleLength * Math.Sin(points[k + 1])), Sy(poleLength * Math.Cos(points[k + 1])));
                }

                stroke.Color = new SKColor(0xE0, 0x7B, 0x00);
                stroke.StrokeWidth = 2;
                stroke.PathEffect = dashes;
                canvas.DrawPath(tipPath, stroke);
                stroke.PathEffect = null;
            }

            fill.Color = new SKColor(0x1F, 0x5F, 0xBF);
            canvas.DrawRect(Sx(x) - 18, railY - 7, 36, 14, fill);
            stroke.Color = new SKColor(0x1F, 0x5F, 0xBF);
            stroke.StrokeWidth = 5;
            canvas.DrawLine(Sx(x), Sy(0), Sx(x + poleLength * Math.Sin(theta)), Sy(poleLength * Math.Cos(theta)), stroke);

            SupervisorMode mode = log.Mode[i];
            fill.Color = mode switch
            {
                SupervisorMode.SwingUp => new SKColor(0xE0, 0x7B, 0x00),
                SupervisorMode.Balance => new SKColor(0x22, 0x8B, 0x22),
                SupervisorMode.Fault => new SKColor(0xD6, 0x27, 0x28),
                _ => new SKColor(0x70, 0x80, 0x90),
            };
            canvas.DrawText($"{ModeNames.Of(mode)}  t = {time[i]:0.00} s", 10, 22, font, fill);
            fill.Color = new SKColor(0x22, 0x22, 0x22);
            canvas.DrawText($"{run.Settings.Planner}, {run.Settings.ProfileName}", 10, Height - 10, font, fill);
            float duty = log.Duty[i];
            stroke.Color = new SKColor(0x88, 0x88, 0x88);
            stroke.StrokeWidth = 1;
            canvas.DrawRect(Width - 170, 10, 160, 10, stroke);
            fill.Color = new SKColor(0x1F, 0x5F, 0xBF);
            canvas.DrawRect(Width - 90, 10, duty * 80, 10, fill);
            fill.Color = new SKColor(0x22, 0x22, 0x22);
            canvas.DrawText($"duty {duty:+0.00;-0.00}", Width - 170, 38, font, fill);

            using SKImage snapshot = surface.Snapshot();
            using SKPixmap pixmap = snapshot.PeekPixels();
            using Image<Rgba32> frame = SixLabors.ImageSharp.Image.LoadPixelData<Rgba32>(pixmap.GetPixelSpan(), Width, Height);
            frame.Frames.RootFrame.Metadata.GetGifMetadata().FrameDelay = (int)Math.Round(100 * TicksPerFrame * run.Profile.ControlPeriodSeconds);
            gif.Frames.AddFrame(frame.Frames.RootFrame);
            added = true;
        }

        if (added)
        {
            gif.Frames.RemoveFrame(0); // the blank frame the image was created with
        }

        using FileStream stream = File.Create(path);
        // One fixed palette without dithering: white stays white, and the drawing's few flat colours compress well.
        gif.SaveAsGif(stream, new GifEncoder
        {
            ColorTableMode = GifColorTableMode.Global,
            Quantizer = new WebSafePaletteQuantizer(new QuantizerOptions { Dither = null }),
        });
    }
}
