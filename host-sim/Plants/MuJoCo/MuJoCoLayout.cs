using System;
using System.Runtime.InteropServices;

namespace EmbeddedMpc.HostSim.Plants.MuJoCo;

/// <summary>
/// Where MuJoCo 2.2.2 keeps the fields this project reads in its <c>mjModel</c> and <c>mjData</c>
/// structs: the leading part of each struct mirrored field by field from the 2.2.2 headers
/// (mujoco/mjmodel.h, mujoco/mjdata.h), so the marshaller computes the byte offsets with C's layout
/// rules. Only valid for 2.2.2 (<see cref="MuJoCoLibrary"/> refuses other versions): the structs gain
/// and lose fields between releases. The offsets are checked against the engine's own behaviour by
/// the tests (a state written through them comes back out of the engine's kinematics).
/// </summary>
internal static class MuJoCoLayout
{
    /// <summary>Offset of <c>mjModel.nq</c>, bytes.</summary>
    public static readonly int ModelPositionCount = Offset<ModelHead>(nameof(ModelHead.nq));

    /// <summary>Offset of <c>mjModel.nv</c>, bytes.</summary>
    public static readonly int ModelVelocityCount = Offset<ModelHead>(nameof(ModelHead.nv));

    /// <summary>Offset of <c>mjModel.nu</c>, bytes.</summary>
    public static readonly int ModelControlCount = Offset<ModelHead>(nameof(ModelHead.nu));

    /// <summary>Offset of <c>mjModel.opt.timestep</c> (the first field of <c>mjOption</c>), bytes.</summary>
    public static readonly int ModelTimeStep = Offset<ModelHead>(nameof(ModelHead.opt_timestep));

    /// <summary>Offset of <c>mjData.time</c>, bytes.</summary>
    public static readonly int DataTime = Offset<DataHead>(nameof(DataHead.time));

    /// <summary>Offset of the pointer <c>mjData.qpos</c>, bytes.</summary>
    public static readonly int DataPositions = Offset<DataHead>(nameof(DataHead.qpos));

    /// <summary>Offset of the pointer <c>mjData.qvel</c>, bytes.</summary>
    public static readonly int DataVelocities = Offset<DataHead>(nameof(DataHead.qvel));

    /// <summary>Offset of the pointer <c>mjData.ctrl</c>, bytes.</summary>
    public static readonly int DataControls = Offset<DataHead>(nameof(DataHead.ctrl));

    /// <summary>Offset of the pointer <c>mjData.xipos</c> (bodies' centres of mass in world coordinates, nbody x 3), bytes.</summary>
    public static readonly int DataBodyCentersOfMass = Offset<DataHead>(nameof(DataHead.xipos));

    private static int Offset<T>(string field) => (int)Marshal.OffsetOf<T>(field);

    // mjNWARNING = 8, mjNTIMER = 13, mjNSOLVER = 1000 in 2.2.2.
    private const int WarningCount = 8;
    private const int TimerCount = 13;
    private const int SolverStatCount = 1000;

    // Field names follow the C headers so the mirror can be read against them.
#pragma warning disable CS0649, IDE1006, SA1307 // never assigned, only laid out
    [StructLayout(LayoutKind.Sequential)]
    private struct WarningStat
    {
        public int lastinfo;
        public int number;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimerStat
    {
        public double duration;
        public int number;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct SolverStat
    {
        public double improvement;
        public double gradient;
        public double lineslope;
        public int nactive;
        public int nchange;
        public int neval;
        public int nupdate;
    }

    /// <summary>mjModel up to mjOption's first field: 58 ints (nq ... nbuffer), then opt.timestep.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct ModelHead
    {
        public int nq;
        public int nv;
        public int nu;

        /// <summary>The 55 further ints from na to nbuffer (counts and sizes this project does not read).</summary>
        [MarshalAs(UnmanagedType.ByValArray, SizeConst = 55)]
        public int[] na_to_nbuffer;

        public double opt_timestep;
    }

    /// <summary>mjData from its first field to xipos.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct DataHead
    {
        public int nstack;
        public int nbuffer;
        public int pstack;
        public int maxuse_stack;
        public int maxuse_con;
        public int maxuse_efc;

        [MarshalAs(UnmanagedType.ByValArray, SizeConst = WarningCount)]
        public WarningStat[] warning;

        [MarshalAs(UnmanagedType.ByValArray, SizeConst = TimerCount)]
        public TimerStat[] timer;

        [MarshalAs(UnmanagedType.ByValArray, SizeConst = SolverStatCount)]
        public SolverStat[] solver;

        public int solver_iter;
        public int solver_nnz;

        [MarshalAs(UnmanagedType.ByValArray, SizeConst = 2)]
        public double[] solver_fwdinv;

        public int ne;
        public int nf;
        public int nefc;
        public int ncon;
        public double time;

        [MarshalAs(UnmanagedType.ByValArray, SizeConst = 2)]
        public double[] energy;

        public IntPtr buffer;
        public IntPtr stack;
        public IntPtr qpos;
        public IntPtr qvel;
        public IntPtr act;
        public IntPtr qacc_warmstart;
        public IntPtr ctrl;
        public IntPtr qfrc_applied;
        public IntPtr xfrc_applied;
        public IntPtr mocap_pos;
        public IntPtr mocap_quat;
        public IntPtr qacc;
        public IntPtr act_dot;
        public IntPtr userdata;
        public IntPtr sensordata;
        public IntPtr xpos;
        public IntPtr xquat;
        public IntPtr xmat;
        public IntPtr xipos;
    }
#pragma warning restore CS0649, IDE1006, SA1307
}
