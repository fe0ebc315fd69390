using EmbeddedMpc.Core.Model;
using EmbeddedMpc.HostSim.Simulation;

namespace EmbeddedMpc.HostSim.Cost;

/// <summary>
/// Converts IL instructions executed by the Core into time on the nanoFramework interpreter (nanoCLR),
/// calibrated by two measurements and one estimate:
/// <list type="bullet">
/// <item>nanoCLR built for an x86 desktop core (32-bit, the ESP32's heap layout) ran the Core at commit
/// 178c1fb from a homed swing-up on esp32-rig: the firmware's planning tick (CEM 8 samples x 2 iterations
/// x 40 steps, 640 model steps) took 3.7 ms, an icem-dm tick of 300 model steps 2.0 ms. The same ticks
/// count <see cref="CemAnchorIlInstructions"/> and <see cref="IcemDmAnchorIlInstructions"/> IL
/// instructions here (`cost --planner cem-lqr --samples 8 --iterations 2 --elites 2 --horizon 40` and
/// `cost --planner icem-dm` at that commit, the median SwingUp tick of each: 7.3 and 8.0 ns per instruction). The slower of the
/// two rates is the model's x86 rate.</item>
/// <item>An ESP32 core at 240 MHz runs the interpreter some 30 to 60 times slower than that x86 core (an
/// estimate from CPU benchmarks, not yet measured on the board: firmware/EmbeddedMpc.Benchmark measures it).</item>
/// </list>
/// The rate is an average over the Core's instruction mix (float arithmetic, array access, calls, and at
/// 178c1fb struct copies that allocate on the interpreter); it holds for code of that mix, not per opcode.
/// </summary>
public static class InterpreterCostModel
{
    /// <summary>Control period of the ESP32 rig (its profile), µs: 20,000.</summary>
    public static int ControlPeriodMicroseconds { get; } = (int)System.Math.Round(RigProfiles.Esp32Rig().ControlPeriodSeconds * 1e6);

    /// <summary>
    /// Planning budget: the share of the control period planning may take before the tick counts as an
    /// overrun (<see cref="ControlStackBuilder.PlanningBudgetFraction"/>, the firmware's too), µs: 16,000.
    /// </summary>
    public static int PlanningBudgetMicroseconds { get; } = (int)System.Math.Round(ControlStackBuilder.PlanningBudgetFraction * ControlPeriodMicroseconds);

    /// <summary>The firmware's CEM planning tick on nanoCLR/x86, µs (measured).</summary>
    public const double CemAnchorMicroseconds = 3700;

    /// <summary>IL instructions of that tick (counted by `cost`, median SwingUp tick, commit 178c1fb).</summary>
    public const long CemAnchorIlInstructions = 504690;

    /// <summary>An icem-dm tick of 300 model steps on nanoCLR/x86, µs (measured).</summary>
    public const double IcemDmAnchorMicroseconds = 2000;

    /// <summary>IL instructions of that tick (counted by `cost`, median SwingUp tick, all of 300 model steps, commit 178c1fb).</summary>
    public const long IcemDmAnchorIlInstructions = 249216;

    /// <summary>How many times slower an ESP32 at 240 MHz interprets than the x86 core: the fast end of the estimate.</summary>
    public const double Esp32SlowdownFastEnd = 30;

    /// <summary>The slow end of the estimate; the budget assumes it.</summary>
    public const double Esp32SlowdownSlowEnd = 60;

    /// <summary>Nanoseconds per IL instruction on nanoCLR/x86: the slower of the two calibration ticks.</summary>
    public static double NanoClrX86NanosecondsPerIlInstruction =>
        System.Math.Max(CemAnchorMicroseconds * 1000.0 / CemAnchorIlInstructions, IcemDmAnchorMicroseconds * 1000.0 / IcemDmAnchorIlInstructions);

    /// <summary>Nanoseconds per IL instruction on an ESP32 that is <paramref name="slowdown"/> times slower than the x86 core.</summary>
    public static double Esp32NanosecondsPerIlInstruction(double slowdown) => NanoClrX86NanosecondsPerIlInstruction * slowdown;

    /// <summary>The planning budget in IL instructions, at the slow end of the ESP32 estimate.</summary>
    public static long PlanningBudgetIlInstructions =>
        (long)(PlanningBudgetMicroseconds * 1000.0 / Esp32NanosecondsPerIlInstruction(Esp32SlowdownSlowEnd));

    /// <summary>Time of <paramref name="ilInstructions"/> on nanoCLR/x86, ms.</summary>
    public static double NanoClrX86Milliseconds(long ilInstructions) => ilInstructions * NanoClrX86NanosecondsPerIlInstruction * 1e-6;

    /// <summary>Time of <paramref name="ilInstructions"/> on an ESP32 <paramref name="slowdown"/> times slower than the x86 core, ms.</summary>
    public static double Esp32Milliseconds(long ilInstructions, double slowdown) => ilInstructions * Esp32NanosecondsPerIlInstruction(slowdown) * 1e-6;
}
