using EmbeddedMpc.Core.Hardware;

namespace EmbeddedMpc.HostSim.Hil;

/// <summary>
/// The virtual device's sensors: the latest SensorReadings message from the host. The control loop
/// reads it at the start of each tick, which runs when (and only when) a reading arrives.
/// </summary>
public sealed class LinkSensors : IRigSensors
{
    private SensorReading _latest;

    /// <summary>Stores the reading that arrived.</summary>
    public void Update(ref SensorReading reading) => _latest = reading;

    /// <inheritdoc />
    public void Read(ref SensorReading reading) => reading = _latest;
}

/// <summary>
/// The virtual device's motor driver: it holds the signed duty the control loop (or the link-loss
/// watchdog) set. The device sends it to the host in the tick's MotorCommand as soon as the tick has
/// finished, together with the force the drive model expects (which the loop computes after setting
/// the duty); the host's simulated drive applies it.
/// </summary>
public sealed class LinkMotorDriver : IMotorDriver
{
    /// <summary>The duty applied now, [-1, 1]; 0 = motor off.</summary>
    public float Duty { get; private set; }

    /// <inheritdoc />
    public void SetDuty(float signedDuty) => Duty = signedDuty;
}
