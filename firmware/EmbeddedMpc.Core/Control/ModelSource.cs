namespace EmbeddedMpc.Core.Control
{
    /// <summary>Where the rig model a device runs came from (HelloAck and Telemetry; values are part of the protocol).</summary>
    public enum ModelSource : byte
    {
        /// <summary>The profile compiled into the device; no stored model was found.</summary>
        BuiltIn = 0,

        /// <summary>A model sent by a Configuration and kept in the device's storage (loaded at start-up, or saved when it came).</summary>
        Stored = 1,

        /// <summary>The built-in profile, because the stored model could not be read or failed its checks.</summary>
        BuiltInStoredCorrupt = 2,

        /// <summary>A model sent by a Configuration and applied, but not stored (HIL mode, or the store failed to write).</summary>
        Unsaved = 3,
    }
}
