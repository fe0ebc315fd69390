using System;
using System.IO;
using System.Runtime.InteropServices;
using EmbeddedMpc.Core.Model;

namespace EmbeddedMpc.HostSim.Plants.MuJoCo;

/// <summary>
/// MuJoCo 2.2.2 as the plant: the project's MJCF of the dm_control cart-pole
/// (<c>dm-control-cartpole.xml</c>, embedded), stepped by <c>mj_step</c> at the model's own 0.01 s
/// (RK4), the force on the cart given as the motor's control (force / gear, in [-1, 1]). The state is
/// read from <c>mjData.qpos</c> / <c>qvel</c> after every step. Only the dm-control profile has a model.
/// </summary>
public sealed class MuJoCoPlant : IPlant, IDisposable
{
    /// <summary>The profiles with an MJCF model.</summary>
    public static readonly string[] SupportedProfiles = [RigProfiles.DmControlName];

    private const string ModelResource = "EmbeddedMpc.HostSim.Plants.MuJoCo.dm-control-cartpole.xml";

    // The compiled model is read-only while simulating, so every plant of the process shares it.
    private static readonly Lazy<IntPtr> s_model = new(LoadEmbeddedModel);

    private readonly MuJoCoLibrary _library;
    private readonly IntPtr _model;
    private readonly IntPtr _positions;   // mjData.qpos: [slider x, hinge theta]
    private readonly IntPtr _velocities;  // mjData.qvel: [xDot, thetaDot]
    private readonly IntPtr _controls;    // mjData.ctrl: [motor control in [-1, 1]]
    private readonly double _controlPerNewton;
    private readonly float _trackHalfLengthMeters;
    private IntPtr _data;

    /// <param name="profile">The rig; must be one of <see cref="SupportedProfiles"/>.</param>
    /// <param name="initialState">State at time zero.</param>
    /// <exception cref="ArgumentException">The profile has no MuJoCo model, or the library is missing (the message names the package).</exception>
    public MuJoCoPlant(RigProfile profile, CartPoleState initialState)
    {
        ArgumentNullException.ThrowIfNull(profile);
        RequireAvailable(profile.Name);
        _library = MuJoCoLibrary.TryGet(out _)!;
        _model = s_model.Value;
        if (Marshal.ReadInt32(_model, MuJoCoLayout.ModelPositionCount) != 2 || Marshal.ReadInt32(_model, MuJoCoLayout.ModelVelocityCount) != 2
            || Marshal.ReadInt32(_model, MuJoCoLayout.ModelControlCount) != 1)
        {
            throw new InvalidOperationException("the MuJoCo cart-pole model must have 2 positions, 2 velocities and 1 control.");
        }

        StepSeconds = ReadDouble(_model, MuJoCoLayout.ModelTimeStep);
        _data = _library.MakeData(_model);
        _positions = Marshal.ReadIntPtr(_data, MuJoCoLayout.DataPositions);
        _velocities = Marshal.ReadIntPtr(_data, MuJoCoLayout.DataVelocities);
        _controls = Marshal.ReadIntPtr(_data, MuJoCoLayout.DataControls);
        CartPoleParameters parameters = profile.CopyParameters();
        _controlPerNewton = 1.0 / parameters.MaxForceNewtons; // the profile's full force is the motor's gear x control 1
        _trackHalfLengthMeters = parameters.TrackHalfLengthMeters;
        SetState(initialState);
    }

    ~MuJoCoPlant() => Free();

    /// <summary>The model's time step, s (0.01).</summary>
    public double StepSeconds { get; }

    /// <summary>The state in double precision, as MuJoCo holds it: x, xDot, theta, thetaDot.</summary>
    public (double X, double XDot, double Theta, double ThetaDot) PreciseState =>
        (ReadDouble(_positions, 0), ReadDouble(_velocities, 0), ReadDouble(_positions, 8), ReadDouble(_velocities, 8));

    /// <inheritdoc />
    public CartPoleState State
    {
        get
        {
            var (x, xDot, theta, thetaDot) = PreciseState;
            return new CartPoleState((float)x, (float)xDot, (float)theta, (float)thetaDot);
        }
    }

    /// <summary>MuJoCo's simulation time, s (mjData.time).</summary>
    public double TimeSeconds => ReadDouble(_data, MuJoCoLayout.DataTime);

    /// <inheritdoc />
    public bool LeftTrack { get; private set; }

    /// <inheritdoc />
    public bool HitEndStop { get; private set; }

    /// <inheritdoc />
    public float MaxAbsCartPositionMeters { get; private set; }

    /// <summary>Throws <see cref="ArgumentException"/> unless MuJoCo is installed and has a model of <paramref name="profileName"/>.</summary>
    public static void RequireAvailable(string profileName)
    {
        if (Array.IndexOf(SupportedProfiles, profileName) < 0)
        {
            throw new ArgumentException($"--plant mujoco has a model of the profiles {string.Join(", ", SupportedProfiles)}; got '{profileName}'.");
        }

        if (MuJoCoLibrary.TryGet(out string? error) is null)
        {
            throw new ArgumentException($"--plant mujoco: {error}");
        }
    }

    /// <summary>Sets the state (velocities and positions) and recomputes MuJoCo's derived quantities (mj_forward).</summary>
    public void SetState(CartPoleState state)
    {
        WriteDouble(_positions, 0, state.X);
        WriteDouble(_positions, 8, state.Theta);
        WriteDouble(_velocities, 0, state.XDot);
        WriteDouble(_velocities, 8, state.ThetaDot);
        _library.Forward(_model, _data);
        MaxAbsCartPositionMeters = Math.Abs(state.X);
    }

    /// <summary>The centre of mass of the pole in world coordinates after the last mj_forward or mj_step: (x, z), m.</summary>
    public (double X, double Z) PoleCenterOfMass()
    {
        IntPtr centers = Marshal.ReadIntPtr(_data, MuJoCoLayout.DataBodyCentersOfMass);
        const int poleBody = 2; // world 0, cart 1, pole 2; 3 doubles each
        return (ReadDouble(centers, (poleBody * 3 + 0) * 8), ReadDouble(centers, (poleBody * 3 + 2) * 8));
    }

    /// <inheritdoc />
    public void Step(float forceNewtons)
    {
        double force = float.IsNaN(forceNewtons) ? 0.0 : forceNewtons;
        WriteDouble(_controls, 0, force * _controlPerNewton);
        _library.Step(_model, _data);
        double distance = Math.Abs(ReadDouble(_positions, 0));
        HitEndStop |= distance >= _trackHalfLengthMeters;
        LeftTrack |= distance > _trackHalfLengthMeters;
        MaxAbsCartPositionMeters = Math.Max(MaxAbsCartPositionMeters, (float)distance);
    }

    /// <inheritdoc />
    public void Push(float thetaDotChange) => WriteDouble(_velocities, 8, ReadDouble(_velocities, 8) + thetaDotChange);

    /// <inheritdoc />
    public void ResetTrackRecords()
    {
        LeftTrack = false;
        HitEndStop = false;
        MaxAbsCartPositionMeters = Math.Abs(State.X);
    }

    /// <summary>Frees MuJoCo's data for this plant (the shared model stays).</summary>
    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    private void Free()
    {
        if (_data != IntPtr.Zero)
        {
            _library.DeleteData(_data);
            _data = IntPtr.Zero;
        }
    }

    private static double ReadDouble(IntPtr pointer, int offset) => BitConverter.Int64BitsToDouble(Marshal.ReadInt64(pointer, offset));

    private static void WriteDouble(IntPtr pointer, int offset, double value) => Marshal.WriteInt64(pointer, offset, BitConverter.DoubleToInt64Bits(value));

    /// <summary>mj_loadXML reads files only: the embedded model goes to a temporary file for the load.</summary>
    private static IntPtr LoadEmbeddedModel()
    {
        MuJoCoLibrary library = MuJoCoLibrary.TryGet(out string? error) ?? throw new InvalidOperationException(error);
        string path = Path.Combine(Path.GetTempPath(), $"embeddedmpc-cartpole-{Guid.NewGuid():N}.xml");
        try
        {
            using (Stream resource = typeof(MuJoCoPlant).Assembly.GetManifestResourceStream(ModelResource)
                ?? throw new InvalidOperationException($"the resource {ModelResource} is missing from the build."))
            using (FileStream file = File.Create(path))
            {
                resource.CopyTo(file);
            }

            return library.LoadModel(path);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
