namespace EmbeddedMpc.HostSim.Cli;

/// <summary>
/// The process exit codes of every command, as the README documents them. Commands return these, never
/// bare numbers, so a script can tell a bad option from a failed link. A command line that cannot be
/// parsed at all (an unknown option, a value of the wrong type) exits with 1, System.CommandLine's code.
/// </summary>
public static class ExitCodes
{
    /// <summary>The command did what it was asked (a run that did not swing up still succeeded as a command).</summary>
    public const int Success = 0;

    /// <summary>
    /// `learn`: the last round's swing-up with the learned model failed. The same number System.CommandLine
    /// gives a malformed command line, as documented; a script tells them apart by the error line on
    /// standard error, which only a malformed command line writes.
    /// </summary>
    public const int LearningDidNotSwingUp = 1;

    /// <summary>An option's value or an input file was refused: the message names it and what is accepted; nothing was written.</summary>
    public const int BadInput = 2;

    /// <summary>HIL: the link failed (the device does not answer, goes silent, or the port closes).</summary>
    public const int LinkFailure = 3;
}
