using EmbeddedMpc.HostSim.Simulation;
using System;
for (uint seed = 1; seed <= 5; seed++)
{
    var r = ClosedLoopRun.Execute(new RunSettings { Seed = seed, ProfileName = args.Length > 0 ? args[0] : "esp32-rig" });
    Console.WriteLine($"{seed} {r.Metrics}");
}
