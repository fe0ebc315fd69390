using EmbeddedMpc.Core.Model;
using EmbeddedMpc.Core.Planning;

namespace EmbeddedMpc.Core.Protocol
{
    /// <summary>
    /// Configuration (type 0x03, host to device, 76-byte payload): the rig the device controls (the
    /// fields of <see cref="CartPoleParameters"/>, dry friction included, the encoder scales and the control period of a
    /// <see cref="RigProfile"/>) and the planner's sizes and seed, flat. The device validates the
    /// values when it applies them (<see cref="CartPoleParameters.Validate"/>,
    /// <see cref="CemSettings.Validate"/>) and answers with an <see cref="AckMessage"/>. Plain fields;
    /// the caller allocates one and reuses it.
    /// </summary>
    /// <remarks>
    /// Payload (float32 unless stated): offset 0 CartMassKilograms, 4 PoleMassKilograms,
    /// 8 PivotToCenterOfMassMeters, 12 PoleInertiaAboutPivotKilogramSquareMeters,
    /// 16 CartDampingNewtonSecondsPerMeter, 20 PivotDampingNewtonMeterSecondsPerRadian,
    /// 24 MaxForceNewtons, 28 TrackHalfLengthMeters, 32 GravityMetersPerSecondSquared,
    /// 36 CartCountsPerMeter, 40 PoleCountsPerRevolution, 44 ControlPeriodMicroseconds (uint32),
    /// 48 CartCoulombFrictionNewtons, 52 PivotCoulombFrictionNewtonMeters,
    /// 56 Samples, 60 Horizon, 64 Iterations, 68 Elites (int32 each), 72 Seed (uint32).
    /// Bytes 0 to 55 describe the rig (<see cref="RigFieldsLength"/>), the rest the planner.
    /// </remarks>
    public struct ConfigurationMessage
    {
        /// <summary>The message type of this payload.</summary>
        public const MessageType Type = MessageType.Configuration;

        /// <summary>Payload bytes.</summary>
        public const int PayloadLength = 76;

        /// <summary>See <see cref="CartPoleParameters.CartMassKilograms"/>.</summary>
        public float CartMassKilograms;

        /// <summary>See <see cref="CartPoleParameters.PoleMassKilograms"/>.</summary>
        public float PoleMassKilograms;

        /// <summary>See <see cref="CartPoleParameters.PivotToCenterOfMassMeters"/>.</summary>
        public float PivotToCenterOfMassMeters;

        /// <summary>See <see cref="CartPoleParameters.PoleInertiaAboutPivotKilogramSquareMeters"/>.</summary>
        public float PoleInertiaAboutPivotKilogramSquareMeters;

        /// <summary>See <see cref="CartPoleParameters.CartDampingNewtonSecondsPerMeter"/>.</summary>
        public float CartDampingNewtonSecondsPerMeter;

        /// <summary>See <see cref="CartPoleParameters.PivotDampingNewtonMeterSecondsPerRadian"/>.</summary>
        public float PivotDampingNewtonMeterSecondsPerRadian;

        /// <summary>See <see cref="CartPoleParameters.MaxForceNewtons"/>.</summary>
        public float MaxForceNewtons;

        /// <summary>See <see cref="CartPoleParameters.TrackHalfLengthMeters"/>.</summary>
        public float TrackHalfLengthMeters;

        /// <summary>See <see cref="CartPoleParameters.GravityMetersPerSecondSquared"/>.</summary>
        public float GravityMetersPerSecondSquared;

        /// <summary>See <see cref="RigProfile.CartCountsPerMeter"/>; 0 for an exact measurement.</summary>
        public float CartCountsPerMeter;

        /// <summary>See <see cref="RigProfile.PoleCountsPerRevolution"/>; 0 for an exact measurement.</summary>
        public float PoleCountsPerRevolution;

        /// <summary>Control period, microseconds (<see cref="RigProfile.ControlPeriodSeconds"/> x 10^6, rounded); [1000, 1000000].</summary>
        public uint ControlPeriodMicroseconds;

        /// <summary>See <see cref="CartPoleParameters.CartCoulombFrictionNewtons"/>, N; [0, 1000]; 0 leaves dry friction out.</summary>
        public float CartCoulombFrictionNewtons;

        /// <summary>See <see cref="CartPoleParameters.PivotCoulombFrictionNewtonMeters"/>, N·m; [0, 100]; 0 leaves dry friction out.</summary>
        public float PivotCoulombFrictionNewtonMeters;

        /// <summary>Sequences sampled per planner iteration (<see cref="CemSettings.Samples"/>).</summary>
        public int Samples;

        /// <summary>Actions per sequence (<see cref="CemSettings.Horizon"/>).</summary>
        public int Horizon;

        /// <summary>Sample-and-refit rounds per tick (<see cref="CemSettings.Iterations"/>).</summary>
        public int Iterations;

        /// <summary>Elites the distribution is refitted to (<see cref="CemSettings.Elites"/>).</summary>
        public int Elites;

        /// <summary>Seed of the planner's sample stream (<see cref="CemSettings.Seed"/>).</summary>
        public uint Seed;

        /// <summary>
        /// Copies the physical parameters (dry friction included), encoder scales and control period of <paramref name="profile"/>.
        /// Start-up code, not for the tick path.
        /// </summary>
        /// <exception cref="System.ArgumentNullException"><paramref name="profile"/> is null.</exception>
        public void SetRig(RigProfile profile)
        {
            Validation.RequireNotNull(profile, nameof(profile));
            CartPoleParameters parameters = profile.CopyParameters();
            CartMassKilograms = parameters.CartMassKilograms;
            PoleMassKilograms = parameters.PoleMassKilograms;
            PivotToCenterOfMassMeters = parameters.PivotToCenterOfMassMeters;
            PoleInertiaAboutPivotKilogramSquareMeters = parameters.PoleInertiaAboutPivotKilogramSquareMeters;
            CartDampingNewtonSecondsPerMeter = parameters.CartDampingNewtonSecondsPerMeter;
            PivotDampingNewtonMeterSecondsPerRadian = parameters.PivotDampingNewtonMeterSecondsPerRadian;
            MaxForceNewtons = parameters.MaxForceNewtons;
            TrackHalfLengthMeters = parameters.TrackHalfLengthMeters;
            GravityMetersPerSecondSquared = parameters.GravityMetersPerSecondSquared;
            CartCountsPerMeter = profile.CartCountsPerMeter;
            PoleCountsPerRevolution = profile.PoleCountsPerRevolution;
            ControlPeriodMicroseconds = (uint)(profile.ControlPeriodSeconds * 1000000f + 0.5f);
            CartCoulombFrictionNewtons = parameters.CartCoulombFrictionNewtons;
            PivotCoulombFrictionNewtonMeters = parameters.PivotCoulombFrictionNewtonMeters;
        }

        /// <summary>
        /// Bytes of the payload that describe the rig (offsets 0 to 55: the physical parameters, encoder scales, control
        /// period and the two dry frictions); the planner's fields follow.
        /// </summary>
        public const int RigFieldsLength = 56;

        /// <summary>
        /// Payload bytes of the layout without the two frictions (the rig fields at 0 to 47, the planner's at 48 to 67),
        /// which <see cref="Rig.StoredModel"/>'s format version 1 holds; see <see cref="ReadWithoutFrictions"/>.
        /// </summary>
        public const int PayloadLengthWithoutFrictions = 68;

        // The rig fields before the frictions (CartMassKilograms to ControlPeriodMicroseconds).
        private const int FieldsBeforeFrictionsLength = 48;

        /// <summary>
        /// The identifier of the rig model these fields describe: CRC-32 (<see cref="Crc32"/>) of the payload's first
        /// <see cref="RigFieldsLength"/> bytes as they travel, so the planner's sizes and seed do not change it and a
        /// host computes the same value from the profile it sent. Start-up code (allocates a scratch buffer).
        /// </summary>
        public uint RigModelId()
        {
            var payload = new byte[PayloadLength];
            Write(payload, 0);
            return Crc32.Compute(payload, 0, RigFieldsLength);
        }

        /// <summary>
        /// Writes the eleven physical parameters (dry friction included) into <paramref name="parameters"/> (not validated here:
        /// call <see cref="CartPoleParameters.Validate"/>). Start-up code, not for the tick path.
        /// </summary>
        /// <exception cref="System.ArgumentNullException"><paramref name="parameters"/> is null.</exception>
        public void CopyParametersTo(CartPoleParameters parameters)
        {
            Validation.RequireNotNull(parameters, nameof(parameters));
            parameters.CartMassKilograms = CartMassKilograms;
            parameters.PoleMassKilograms = PoleMassKilograms;
            parameters.PivotToCenterOfMassMeters = PivotToCenterOfMassMeters;
            parameters.PoleInertiaAboutPivotKilogramSquareMeters = PoleInertiaAboutPivotKilogramSquareMeters;
            parameters.CartDampingNewtonSecondsPerMeter = CartDampingNewtonSecondsPerMeter;
            parameters.PivotDampingNewtonMeterSecondsPerRadian = PivotDampingNewtonMeterSecondsPerRadian;
            parameters.MaxForceNewtons = MaxForceNewtons;
            parameters.TrackHalfLengthMeters = TrackHalfLengthMeters;
            parameters.GravityMetersPerSecondSquared = GravityMetersPerSecondSquared;
            parameters.CartCoulombFrictionNewtons = CartCoulombFrictionNewtons;
            parameters.PivotCoulombFrictionNewtonMeters = PivotCoulombFrictionNewtonMeters;
        }

        /// <summary>
        /// The rig this message describes, for the device side: the name, description, drive (motor) model
        /// and limit-switch and end-stop offsets of <paramref name="baseProfile"/>, which the message does not
        /// carry, with the message's eleven physical parameters, encoder scales and control period, validated
        /// against the ranges of PROTOCOL.md. Start-up code, not for the tick path.
        /// </summary>
        /// <exception cref="System.ArgumentException">
        /// <paramref name="baseProfile"/> is null, or a value is outside its range (the message names it).
        /// </exception>
        public RigProfile ToProfile(RigProfile baseProfile)
        {
            Validation.RequireNotNull(baseProfile, nameof(baseProfile));
            if (ControlPeriodMicroseconds < 1000u || ControlPeriodMicroseconds > 1000000u)
            {
                throw new System.ArgumentException("ControlPeriodMicroseconds must be in [1000, 1000000].", nameof(ControlPeriodMicroseconds));
            }

            var parameters = new CartPoleParameters();
            CopyParametersTo(parameters);
            // The RigProfile constructor validates the parameters, the encoder scales and the period.
            return new RigProfile(baseProfile.Name, baseProfile.Description, parameters, baseProfile.CopyMotor(),
                CartCountsPerMeter, PoleCountsPerRevolution, (int)ControlPeriodMicroseconds / 1000000f,
                baseProfile.LimitSwitchOffsetMeters, baseProfile.EndStopOffsetMeters);
        }

        /// <summary>Copies Samples, Horizon, Iterations, Elites and Seed from <paramref name="settings"/>.</summary>
        /// <exception cref="System.ArgumentNullException"><paramref name="settings"/> is null.</exception>
        public void SetPlanner(CemSettings settings)
        {
            Validation.RequireNotNull(settings, nameof(settings));
            Samples = settings.Samples;
            Horizon = settings.Horizon;
            Iterations = settings.Iterations;
            Elites = settings.Elites;
            Seed = settings.Seed;
        }

        /// <summary>
        /// Writes Samples, Horizon, Iterations, Elites and Seed into <paramref name="settings"/> (not
        /// validated here: call <see cref="CemSettings.Validate"/>); the other settings are left as they are.
        /// </summary>
        /// <exception cref="System.ArgumentNullException"><paramref name="settings"/> is null.</exception>
        public void CopyPlannerTo(CemSettings settings)
        {
            Validation.RequireNotNull(settings, nameof(settings));
            settings.Samples = Samples;
            settings.Horizon = Horizon;
            settings.Iterations = Iterations;
            settings.Elites = Elites;
            settings.Seed = Seed;
        }

        /// <summary>Writes the <see cref="PayloadLength"/> payload bytes at <paramref name="offset"/>.</summary>
        public void Write(byte[] buffer, int offset)
        {
            LittleEndian.WriteSingle(buffer, offset, CartMassKilograms);
            LittleEndian.WriteSingle(buffer, offset + 4, PoleMassKilograms);
            LittleEndian.WriteSingle(buffer, offset + 8, PivotToCenterOfMassMeters);
            LittleEndian.WriteSingle(buffer, offset + 12, PoleInertiaAboutPivotKilogramSquareMeters);
            LittleEndian.WriteSingle(buffer, offset + 16, CartDampingNewtonSecondsPerMeter);
            LittleEndian.WriteSingle(buffer, offset + 20, PivotDampingNewtonMeterSecondsPerRadian);
            LittleEndian.WriteSingle(buffer, offset + 24, MaxForceNewtons);
            LittleEndian.WriteSingle(buffer, offset + 28, TrackHalfLengthMeters);
            LittleEndian.WriteSingle(buffer, offset + 32, GravityMetersPerSecondSquared);
            LittleEndian.WriteSingle(buffer, offset + 36, CartCountsPerMeter);
            LittleEndian.WriteSingle(buffer, offset + 40, PoleCountsPerRevolution);
            LittleEndian.WriteUInt32(buffer, offset + 44, ControlPeriodMicroseconds);
            LittleEndian.WriteSingle(buffer, offset + 48, CartCoulombFrictionNewtons);
            LittleEndian.WriteSingle(buffer, offset + 52, PivotCoulombFrictionNewtonMeters);
            LittleEndian.WriteInt32(buffer, offset + 56, Samples);
            LittleEndian.WriteInt32(buffer, offset + 60, Horizon);
            LittleEndian.WriteInt32(buffer, offset + 64, Iterations);
            LittleEndian.WriteInt32(buffer, offset + 68, Elites);
            LittleEndian.WriteUInt32(buffer, offset + 72, Seed);
        }

        /// <summary>Reads the <see cref="PayloadLength"/> payload bytes at <paramref name="offset"/>.</summary>
        public void Read(byte[] buffer, int offset)
        {
            ReadFieldsBeforeFrictions(buffer, offset);
            CartCoulombFrictionNewtons = LittleEndian.ReadSingle(buffer, offset + 48);
            PivotCoulombFrictionNewtonMeters = LittleEndian.ReadSingle(buffer, offset + 52);
            ReadPlannerFields(buffer, offset + RigFieldsLength);
        }

        /// <summary>
        /// Reads the <see cref="PayloadLengthWithoutFrictions"/> bytes at <paramref name="offset"/> of the layout that has
        /// no friction fields (the first twelve rig fields at today's offsets 0 to 47, then the planner's five at 48 to 67);
        /// both frictions become 0, which is how a device configured with that layout planned. For
        /// <see cref="Rig.StoredModel"/>'s format version 1; start-up code.
        /// </summary>
        public void ReadWithoutFrictions(byte[] buffer, int offset)
        {
            ReadFieldsBeforeFrictions(buffer, offset);
            CartCoulombFrictionNewtons = 0f;
            PivotCoulombFrictionNewtonMeters = 0f;
            ReadPlannerFields(buffer, offset + FieldsBeforeFrictionsLength);
        }

        private void ReadFieldsBeforeFrictions(byte[] buffer, int offset)
        {
            CartMassKilograms = LittleEndian.ReadSingle(buffer, offset);
            PoleMassKilograms = LittleEndian.ReadSingle(buffer, offset + 4);
            PivotToCenterOfMassMeters = LittleEndian.ReadSingle(buffer, offset + 8);
            PoleInertiaAboutPivotKilogramSquareMeters = LittleEndian.ReadSingle(buffer, offset + 12);
            CartDampingNewtonSecondsPerMeter = LittleEndian.ReadSingle(buffer, offset + 16);
            PivotDampingNewtonMeterSecondsPerRadian = LittleEndian.ReadSingle(buffer, offset + 20);
            MaxForceNewtons = LittleEndian.ReadSingle(buffer, offset + 24);
            TrackHalfLengthMeters = LittleEndian.ReadSingle(buffer, offset + 28);
            GravityMetersPerSecondSquared = LittleEndian.ReadSingle(buffer, offset + 32);
            CartCountsPerMeter = LittleEndian.ReadSingle(buffer, offset + 36);
            PoleCountsPerRevolution = LittleEndian.ReadSingle(buffer, offset + 40);
            ControlPeriodMicroseconds = LittleEndian.ReadUInt32(buffer, offset + 44);
        }

        // The planner's five fields, Samples to Seed (20 bytes), from offset.
        private void ReadPlannerFields(byte[] buffer, int offset)
        {
            Samples = LittleEndian.ReadInt32(buffer, offset);
            Horizon = LittleEndian.ReadInt32(buffer, offset + 4);
            Iterations = LittleEndian.ReadInt32(buffer, offset + 8);
            Elites = LittleEndian.ReadInt32(buffer, offset + 12);
            Seed = LittleEndian.ReadUInt32(buffer, offset + 16);
        }
    }
}
