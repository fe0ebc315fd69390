namespace EmbeddedMpc.Core.Rig
{
    /// <summary>
    /// Where a rig keeps the model it was sent across a reboot: a few bytes in the board's flash (the firmware) or
    /// a file (the virtual rig). The bytes are <see cref="StoredModel"/>'s; the store only keeps them. Called at
    /// start-up and when a Configuration is accepted, never on the tick path.
    /// </summary>
    public interface IModelStore
    {
        /// <summary>
        /// Reads the stored bytes into <paramref name="buffer"/> (at most its length) and returns how many; -1 when
        /// nothing is stored. A read error returns what could be read (the format's checks then refuse it).
        /// </summary>
        int Load(byte[] buffer);

        /// <summary>Replaces the stored bytes with <paramref name="count"/> bytes of <paramref name="buffer"/>; false when that failed.</summary>
        bool Save(byte[] buffer, int count);
    }
}
