using System;
using System.Runtime.InteropServices;
using System.Threading;

namespace EmbeddedMpc.HostSim.Output;

/// <summary>
/// Ctrl+C (SIGINT) and SIGTERM for every command. The first signal asks the command to stop: the
/// simulation checks <see cref="ThrowIfRequested"/> every tick, so a run ends within a tick by throwing
/// <see cref="OperationCanceledException"/>, its staged outputs are deleted as the exception unwinds, and
/// the entry point restores the terminal and exits with <see cref="Cli.ExitCodes.Interrupted"/>. A command that can keep
/// what it finished (`bench`) catches the request and writes it. A second signal, or a command that has
/// not ended <see cref="GraceSeconds"/> after the first, ends the process at once, after deleting every
/// open staging directory and showing the cursor again.
/// </summary>
public static class Interruption
{
    /// <summary>How long a command may take to wind down after the first signal, s.</summary>
    public const int GraceSeconds = 10;

    private static readonly CancellationTokenSource s_source = new();
    private static PosixSignalRegistration[]? s_registrations;
    private static int s_signals;

    /// <summary>True once a signal asked the process to stop.</summary>
    public static bool Requested => s_source.IsCancellationRequested;

    /// <summary>Cancelled on the first signal.</summary>
    public static CancellationToken Token => s_source.Token;

    /// <summary>Handles SIGINT and SIGTERM from now on (the entry point calls it once; tests that run commands in process do not).</summary>
    public static void Install()
    {
        if (s_registrations is not null)
        {
            return;
        }

        s_registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal),
        ];
    }

    /// <summary>Throws <see cref="OperationCanceledException"/> when a signal asked the process to stop.</summary>
    public static void ThrowIfRequested() => s_source.Token.ThrowIfCancellationRequested();

    /// <summary>Shows the cursor again (progress displays hide it) when standard output is a terminal.</summary>
    public static void RestoreTerminal()
    {
        if (!Console.IsOutputRedirected)
        {
            Console.Out.Write("\u001b[?25h");
            Console.Out.Flush();
        }
    }

    private static void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true; // the command winds down itself; see ExitNow for the fallback
        if (Interlocked.Increment(ref s_signals) > 1)
        {
            ExitNow();
            return;
        }

        s_source.Cancel();
        new Thread(() =>
        {
            Thread.Sleep(TimeSpan.FromSeconds(GraceSeconds));
            ExitNow();
        })
        { IsBackground = true, Name = "interrupt grace" }.Start();
    }

    private static void ExitNow()
    {
        StagedOutput.DeleteAllOpen();
        RestoreTerminal();
        Console.Error.WriteLine("interrupted");
        Environment.Exit(Cli.ExitCodes.Interrupted);
    }
}
