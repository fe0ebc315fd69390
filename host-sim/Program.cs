using System.CommandLine;
using EmbeddedMpc.HostSim.Cli;

var root = new RootCommand("EmbeddedMpc desktop simulator: the shared Core planning against a simulated cart-pole rig.")
{
    RunCommand.Create(),
    OpenLoopCommand.Create(),
    BenchCommand.Create(),
    HilCommand.Create(),
    VirtualDeviceCommand.Create(),
    IdentifyCommand.Create(),
    LearnCommand.Create(),
    CostCommand.Create(),
};

return root.Parse(args).Invoke();
