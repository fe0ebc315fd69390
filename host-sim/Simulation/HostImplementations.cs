using System.Diagnostics;
using EmbeddedMpc.Core.Estimation;
using EmbeddedMpc.Core.Hardware;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.HostSim.Plants;

namespace EmbeddedMpc.HostSim.Simulation;

/// <summary>The host's monotonic clock in microseconds (Stopwatch).</summary>
public sealed class StopwatchClock : IMicrosecondClock
{
    private static readonly double MicrosecondsPerTick = 1e6 / Stopwatch.Frequency;

    /// <inheritdoc />
    public long NowMicroseconds => (long)(Stopwatch.GetTimestamp() * MicrosecondsPerTick);
}

/// <summary>
/// An estimator that reads the simulated truth, for profiles whose benchmark measures the state
/// exactly (dm_control): the sensor reading is ignored.
/// </summary>
public sealed class ExactStateEstimator : IStateEstimator
{
    private readonly IPlant _plant;

    public ExactStateEstimator(IPlant plant) => _plant = plant;

    /// <inheritdoc />
    public void ReadState(out CartPoleState state) => state = _plant.State;

    /// <inheritdoc />
    public bool Update(ref SensorReading reading) => true;

    /// <inheritdoc />
    public void SetCartPosition(long cartCount, float positionMeters)
    {
    }

    /// <inheritdoc />
    public void SetPoleHanging(long poleCount)
    {
    }

    /// <inheritdoc />
    public void Reset()
    {
    }
}
