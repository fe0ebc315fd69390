namespace EmbeddedMpc.Core.Control
{
    /// <summary>What a rig in rig mode was asked to do (the Telemetry message's Activity byte; values are part of the protocol).</summary>
    public enum RigActivity : byte
    {
        /// <summary>Nothing asked (stopped, or not in rig mode).</summary>
        None = 0,

        /// <summary>Command Start: home if needed, swing up and balance.</summary>
        Control = 1,

        /// <summary>Command Excite: home if needed, then the excitation policy for the commanded duration.</summary>
        Excitation = 2,
    }
}
