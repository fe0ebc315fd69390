namespace EmbeddedMpc.Core.Hardware
{
    /// <summary>The rig's sensors: encoders, limit switches and E-stop. Reading allocates nothing.</summary>
    public interface IRigSensors
    {
        /// <summary>Samples every sensor into <paramref name="reading"/>.</summary>
        void Read(ref SensorReading reading);
    }
}
