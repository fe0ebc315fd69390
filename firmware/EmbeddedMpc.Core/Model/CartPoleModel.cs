using EmbeddedMpc.Core.Math;

namespace EmbeddedMpc.Core.Model
{
    /// <summary>
    /// Equations of motion of a cart-pole with a pole of general inertia, viscous cart damping and
    /// viscous pivot damping, and two integrators (semi-implicit Euler for the planner, RK4 for the
    /// plant). Its physical parameters change only through <see cref="SetIdentifiedParameters"/> (online
    /// adaptation, between ticks); allocates nothing and throws nothing after construction.
    /// </summary>
    /// <remarks>
    /// With M the cart mass, m the pole mass, l the pivot-to-centre-of-mass distance, J the pole's
    /// inertia about the pivot, b_c and b_p the cart and pivot damping, F the force on the cart and
    /// theta = 0 upright, the Lagrangian gives (Florian 2007, viscous form):
    /// <code>
    ///   (M + m) xDDot + m l cos(theta) thetaDDot = F - b_c xDot + m l sin(theta) thetaDot^2      (1)
    ///   m l cos(theta) xDDot + J thetaDDot       = m g l sin(theta) - b_p thetaDot               (2)
    /// </code>
    /// solved as a 2 x 2 linear system by Cramer's rule. With J = 4/3 m l^2 and no damping this is
    /// the Barto-Sutton-Anderson (Gym) cart-pole.
    /// <para>
    /// Optional Coulomb friction (zero by default): F_c sgn(xDot) joins b_c xDot in (1) and T_c sgn(thetaDot)
    /// joins b_p thetaDot in (2), with sgn saturated linearly within +/-v0 of standstill
    /// (<see cref="CartCoulombSmoothingMetersPerSecond"/>, <see cref="PivotCoulombSmoothingRadiansPerSecond"/>):
    /// a discontinuous sign would make the 20 ms planner steps chatter about zero velocity, and the same
    /// smoothed sign is what identification fits, so the identified F_c means the same thing here. The
    /// normal-force dependence of the cart's friction (Florian) is left out: F_c is its value at the rig's weight.
    /// <see cref="LinearizeUpright"/> leaves the friction out (it has no derivative at standstill worth
    /// designing a balance gain on).
    /// </para>
    /// </remarks>
    public sealed class CartPoleModel
    {
        private float _totalMass;         // M + m, kg
        private float _poleMassLength;    // m l, kg·m
        private float _inertia;           // J, kg·m²
        private float _gravityTorque;     // m g l, N·m
        private float _cartDamping;       // b_c, N·s/m
        private float _pivotDamping;      // b_p, N·m·s/rad
        private readonly float _gravity;           // g, m/s²
        private readonly float _cartCoulomb;       // F_c, N
        private readonly float _pivotCoulomb;      // T_c, N·m
        private readonly bool _hasCoulombFriction; // F_c or T_c above 0

        /// <summary>Cart speed, m/s, below which the Coulomb force's sign is scaled down linearly to 0 at standstill.</summary>
        public const float CartCoulombSmoothingMetersPerSecond = 0.01f;

        /// <summary>Pole angular speed, rad/s, below which the pivot's Coulomb torque's sign is scaled down linearly to 0 at standstill.</summary>
        public const float PivotCoulombSmoothingRadiansPerSecond = 0.1f;

        /// <summary>Builds a model from validated copies of <paramref name="parameters"/>.</summary>
        /// <exception cref="System.ArgumentException">A parameter is outside its documented range.</exception>
        public CartPoleModel(CartPoleParameters parameters)
        {
            Validation.RequireNotNull(parameters, nameof(parameters));
            parameters.Validate();
            Parameters = parameters.Clone();
            _totalMass = parameters.CartMassKilograms + parameters.PoleMassKilograms;
            _poleMassLength = parameters.PoleMassKilograms * parameters.PivotToCenterOfMassMeters;
            _inertia = parameters.PoleInertiaAboutPivotKilogramSquareMeters;
            _gravity = parameters.GravityMetersPerSecondSquared;
            _gravityTorque = _poleMassLength * _gravity;
            _cartDamping = parameters.CartDampingNewtonSecondsPerMeter;
            _pivotDamping = parameters.PivotDampingNewtonMeterSecondsPerRadian;
            _cartCoulomb = parameters.CartCoulombFrictionNewtons;
            _pivotCoulomb = parameters.PivotCoulombFrictionNewtonMeters;
            _hasCoulombFriction = _cartCoulomb > 0f || _pivotCoulomb > 0f;
        }

        /// <summary>
        /// A copy of the parameters this model was built from, kept in step with <see cref="SetIdentifiedParameters"/>
        /// (which writes into it: read it, do not keep it as a snapshot).
        /// </summary>
        public CartPoleParameters Parameters { get; }

        /// <summary>M + m, kg.</summary>
        public float TotalMassKilograms => _totalMass;

        /// <summary>m l, kg·m.</summary>
        public float PoleMassLengthKilogramMeters => _poleMassLength;

        /// <summary>
        /// Replaces the physical parameters by the combinations the equations depend on, in place (no
        /// allocation): the online adaptation identifies exactly these. The pole's mass m stays that of
        /// <see cref="Parameters"/> (motion alone does not separate m from l), so M = total - m and l = (m l) / m
        /// there. Call between ticks, never during a rollout. Checks nothing beyond what keeps the equations
        /// solvable: the caller keeps the values inside its physical box.
        /// </summary>
        /// <param name="totalMassKilograms">M + m, kg; larger than the pole's mass.</param>
        /// <param name="poleMassLengthKilogramMeters">m l, kg·m; positive.</param>
        /// <param name="inertiaKilogramSquareMeters">J, kg·m²; raised to (m l)² / m if below (a point mass).</param>
        /// <param name="cartDampingNewtonSecondsPerMeter">b_c, N·s/m; non-negative.</param>
        /// <param name="pivotDampingNewtonMeterSecondsPerRadian">b_p, N·m·s/rad; non-negative.</param>
        public void SetIdentifiedParameters(float totalMassKilograms, float poleMassLengthKilogramMeters, float inertiaKilogramSquareMeters,
            float cartDampingNewtonSecondsPerMeter, float pivotDampingNewtonMeterSecondsPerRadian)
        {
            CartPoleParameters parameters = Parameters;
            float poleMass = parameters.PoleMassKilograms;
            float pointMassInertia = poleMassLengthKilogramMeters * poleMassLengthKilogramMeters / poleMass;
            float inertia = inertiaKilogramSquareMeters < pointMassInertia ? pointMassInertia : inertiaKilogramSquareMeters;
            // The cart keeps a positive mass whatever the estimate says (M = total - m).
            float smallestTotal = 1.01f * poleMass;
            totalMassKilograms = totalMassKilograms < smallestTotal ? smallestTotal : totalMassKilograms;
            _totalMass = totalMassKilograms;
            _poleMassLength = poleMassLengthKilogramMeters;
            _inertia = inertia;
            _gravityTorque = poleMassLengthKilogramMeters * _gravity;
            _cartDamping = cartDampingNewtonSecondsPerMeter;
            _pivotDamping = pivotDampingNewtonMeterSecondsPerRadian;
            parameters.CartMassKilograms = totalMassKilograms - poleMass;
            parameters.PivotToCenterOfMassMeters = poleMassLengthKilogramMeters / poleMass;
            parameters.PoleInertiaAboutPivotKilogramSquareMeters = inertia;
            parameters.CartDampingNewtonSecondsPerMeter = cartDampingNewtonSecondsPerMeter;
            parameters.PivotDampingNewtonMeterSecondsPerRadian = pivotDampingNewtonMeterSecondsPerRadian;
        }

        /// <summary>Accelerations (xDDot in m/s², thetaDDot in rad/s²) at <paramref name="state"/> under <paramref name="forceNewtons"/>.</summary>
        public void Accelerations(ref CartPoleState state, float forceNewtons, out float xDDot, out float thetaDDot)
        {
            float sinTheta;
            float cosTheta;
            FloatMath.SinCos(state.Theta, out sinTheta, out cosTheta);
            SolveAccelerations(sinTheta, cosTheta, state.XDot, state.ThetaDot, forceNewtons, out xDDot, out thetaDDot);
        }

        /// <summary>
        /// One semi-implicit (symplectic) Euler step: velocities from the accelerations at the start of the
        /// step, then positions from the new velocities. One sin and one cos per step.
        /// </summary>
        public void StepSemiImplicitEuler(ref CartPoleState state, float forceNewtons, float timeStepSeconds)
        {
            float xDDot;
            float thetaDDot;
            Accelerations(ref state, forceNewtons, out xDDot, out thetaDDot);
            state.XDot += timeStepSeconds * xDDot;
            state.ThetaDot += timeStepSeconds * thetaDDot;
            state.X += timeStepSeconds * state.XDot;
            state.Theta += timeStepSeconds * state.ThetaDot;
        }

        /// <summary>One classical fourth-order Runge-Kutta step with the force held constant over the step.</summary>
        public void StepRk4(ref CartPoleState state, float forceNewtons, float timeStepSeconds)
        {
            float halfStep = 0.5f * timeStepSeconds;
            CartPoleState probe = state;

            float k1x, k1v, k1th, k1w;
            Derivative(ref probe, forceNewtons, out k1x, out k1v, out k1th, out k1w);

            probe.X = state.X + halfStep * k1x;
            probe.XDot = state.XDot + halfStep * k1v;
            probe.Theta = state.Theta + halfStep * k1th;
            probe.ThetaDot = state.ThetaDot + halfStep * k1w;
            float k2x, k2v, k2th, k2w;
            Derivative(ref probe, forceNewtons, out k2x, out k2v, out k2th, out k2w);

            probe.X = state.X + halfStep * k2x;
            probe.XDot = state.XDot + halfStep * k2v;
            probe.Theta = state.Theta + halfStep * k2th;
            probe.ThetaDot = state.ThetaDot + halfStep * k2w;
            float k3x, k3v, k3th, k3w;
            Derivative(ref probe, forceNewtons, out k3x, out k3v, out k3th, out k3w);

            probe.X = state.X + timeStepSeconds * k3x;
            probe.XDot = state.XDot + timeStepSeconds * k3v;
            probe.Theta = state.Theta + timeStepSeconds * k3th;
            probe.ThetaDot = state.ThetaDot + timeStepSeconds * k3w;
            float k4x, k4v, k4th, k4w;
            Derivative(ref probe, forceNewtons, out k4x, out k4v, out k4th, out k4w);

            float sixth = timeStepSeconds / 6f;
            state.X += sixth * (k1x + 2f * k2x + 2f * k3x + k4x);
            state.XDot += sixth * (k1v + 2f * k2v + 2f * k3v + k4v);
            state.Theta += sixth * (k1th + 2f * k2th + 2f * k3th + k4th);
            state.ThetaDot += sixth * (k1w + 2f * k2w + 2f * k3w + k4w);
        }

        /// <summary>
        /// Total mechanical energy, J: kinetic energy of cart and pole plus the pole's potential energy
        /// m g l cos(theta) (zero with the centre of mass at pivot height, largest upright).
        /// </summary>
        public float Energy(ref CartPoleState state)
        {
            float cosTheta = FloatMath.Cos(state.Theta);
            float kinetic = 0.5f * _totalMass * state.XDot * state.XDot
                + _poleMassLength * cosTheta * state.XDot * state.ThetaDot
                + 0.5f * _inertia * state.ThetaDot * state.ThetaDot;
            return kinetic + _gravityTorque * cosTheta;
        }

        /// <summary>
        /// Continuous-time linearization about the upright equilibrium (all states zero, no force):
        /// d[x, xDot, theta, thetaDot]/dt = A s + B F. Writes A row-major into
        /// <paramref name="stateMatrix"/> [4 x 4] and B into <paramref name="inputMatrix"/> [4].
        /// </summary>
        public void LinearizeUpright(float[] stateMatrix, float[] inputMatrix)
        {
            Validation.RequireNotNull(stateMatrix, nameof(stateMatrix));
            Validation.RequireNotNull(inputMatrix, nameof(inputMatrix));
            if (stateMatrix.Length < 16 || inputMatrix.Length < 4)
            {
                throw new System.ArgumentException("stateMatrix needs 16 elements and inputMatrix 4.", nameof(stateMatrix));
            }

            // With sin(theta) ~ theta, cos(theta) ~ 1, thetaDot^2 ~ 0, equations (1)-(2) become
            // [M+m, m l; m l, J] [xDDot; thetaDDot] = [F - b_c xDot; m g l theta - b_p thetaDot].
            float determinant = _totalMass * _inertia - _poleMassLength * _poleMassLength;
            for (int i = 0; i < 16; i++)
            {
                stateMatrix[i] = 0f;
            }

            stateMatrix[0 * 4 + 1] = 1f;
            stateMatrix[2 * 4 + 3] = 1f;

            // Row of xDDot: (J r1 - m l r2) / det.
            stateMatrix[1 * 4 + 1] = -_inertia * _cartDamping / determinant;
            stateMatrix[1 * 4 + 2] = -_poleMassLength * _gravityTorque / determinant;
            stateMatrix[1 * 4 + 3] = _poleMassLength * _pivotDamping / determinant;

            // Row of thetaDDot: ((M+m) r2 - m l r1) / det.
            stateMatrix[3 * 4 + 1] = _poleMassLength * _cartDamping / determinant;
            stateMatrix[3 * 4 + 2] = _totalMass * _gravityTorque / determinant;
            stateMatrix[3 * 4 + 3] = -_totalMass * _pivotDamping / determinant;

            inputMatrix[0] = 0f;
            inputMatrix[1] = _inertia / determinant;
            inputMatrix[2] = 0f;
            inputMatrix[3] = -_poleMassLength / determinant;
        }

        /// <summary>
        /// Partial derivatives of the accelerations at <paramref name="state"/> under
        /// <paramref name="forceNewtons"/>, for gradient-based planners. Writes 8 values, row-major:
        /// d xDDot / d(xDot, theta, thetaDot, F), then d thetaDDot / d(xDot, theta, thetaDot, F).
        /// The accelerations do not depend on x. Allocates nothing.
        /// </summary>
        /// <remarks>
        /// With s = sin(theta), c = cos(theta), the right-hand sides r1 = F - b_c xDot + m l s thetaDot^2 and
        /// r2 = m g l s - b_p thetaDot of (1)-(2), and det = (M + m) J - (m l c)^2:
        /// xDDot = (J r1 - m l c r2) / det and thetaDDot = ((M + m) r2 - m l c r1) / det. The velocities
        /// and the force enter only r1 and r2; theta also enters the coupling m l c and det, hence the
        /// quotient rule in the theta column.
        /// </remarks>
        public void AccelerationDerivatives(ref CartPoleState state, float forceNewtons, float[] derivatives)
        {
            float sinTheta = FloatMath.Sin(state.Theta);
            float cosTheta = FloatMath.Cos(state.Theta);
            float xDDot;
            float thetaDDot;
            SolveAccelerations(sinTheta, cosTheta, state.XDot, state.ThetaDot, forceNewtons, out xDDot, out thetaDDot);

            float coupling = _poleMassLength * cosTheta;
            float inverseDeterminant = 1f / (_totalMass * _inertia - coupling * coupling);
            float cartSign = state.XDot * (1f / CartCoulombSmoothingMetersPerSecond);
            float cartSignSlope = 1f / CartCoulombSmoothingMetersPerSecond;
            if (cartSign > 1f || cartSign < -1f)
            {
                cartSign = cartSign > 0f ? 1f : -1f;
                cartSignSlope = 0f;
            }

            float poleSign = state.ThetaDot * (1f / PivotCoulombSmoothingRadiansPerSecond);
            float poleSignSlope = 1f / PivotCoulombSmoothingRadiansPerSecond;
            if (poleSign > 1f || poleSign < -1f)
            {
                poleSign = poleSign > 0f ? 1f : -1f;
                poleSignSlope = 0f;
            }

            float cartRightHandSide = forceNewtons - _cartDamping * state.XDot - _cartCoulomb * cartSign + _poleMassLength * sinTheta * state.ThetaDot * state.ThetaDot;
            float poleRightHandSide = _gravityTorque * sinTheta - _pivotDamping * state.ThetaDot - _pivotCoulomb * poleSign;

            // Derivatives of r1 and r2 (d/dxDot, d/dthetaDot, d/dtheta; d r1/dF = 1, d r2/dF = 0).
            float cartByXDot = -_cartDamping - _cartCoulomb * cartSignSlope;
            float cartByThetaDot = 2f * _poleMassLength * sinTheta * state.ThetaDot;
            float cartByTheta = _poleMassLength * cosTheta * state.ThetaDot * state.ThetaDot;
            float poleByThetaDot = -_pivotDamping - _pivotCoulomb * poleSignSlope;
            float poleByTheta = _gravityTorque * cosTheta;

            // d(m l c)/dtheta = -m l s and d det/dtheta = 2 (m l c)(m l s).
            float couplingByTheta = -_poleMassLength * sinTheta;
            float determinantByTheta = -2f * coupling * couplingByTheta;

            derivatives[0] = _inertia * cartByXDot * inverseDeterminant;
            derivatives[1] = (_inertia * cartByTheta - couplingByTheta * poleRightHandSide - coupling * poleByTheta - xDDot * determinantByTheta) * inverseDeterminant;
            derivatives[2] = (_inertia * cartByThetaDot - coupling * poleByThetaDot) * inverseDeterminant;
            derivatives[3] = _inertia * inverseDeterminant;
            derivatives[4] = -coupling * cartByXDot * inverseDeterminant;
            derivatives[5] = (_totalMass * poleByTheta - couplingByTheta * cartRightHandSide - coupling * cartByTheta - thetaDDot * determinantByTheta) * inverseDeterminant;
            derivatives[6] = (_totalMass * poleByThetaDot - coupling * cartByThetaDot) * inverseDeterminant;
            derivatives[7] = -coupling * inverseDeterminant;
        }

        private void Derivative(ref CartPoleState state, float forceNewtons, out float dx, out float dv, out float dTheta, out float dOmega)
        {
            dx = state.XDot;
            dTheta = state.ThetaDot;
            Accelerations(ref state, forceNewtons, out dv, out dOmega);
        }

        private void SolveAccelerations(float sinTheta, float cosTheta, float xDot, float thetaDot, float forceNewtons, out float xDDot, out float thetaDDot)
        {
            float coupling = _poleMassLength * cosTheta;

            // Coulomb terms with saturated signs of the velocities (see the remarks), inline, as this is the
            // innermost call of every rollout; skipped whole on a model without dry friction (one test).
            float cartFriction = 0f;
            float poleFriction = 0f;
            if (_hasCoulombFriction)
            {
                cartFriction = xDot * (1f / CartCoulombSmoothingMetersPerSecond);
                if (cartFriction > 1f)
                {
                    cartFriction = 1f;
                }
                else if (cartFriction < -1f)
                {
                    cartFriction = -1f;
                }

                poleFriction = thetaDot * (1f / PivotCoulombSmoothingRadiansPerSecond);
                if (poleFriction > 1f)
                {
                    poleFriction = 1f;
                }
                else if (poleFriction < -1f)
                {
                    poleFriction = -1f;
                }

                cartFriction *= _cartCoulomb;
                poleFriction *= _pivotCoulomb;
            }

            float cartRightHandSide = forceNewtons - _cartDamping * xDot - cartFriction + _poleMassLength * sinTheta * thetaDot * thetaDot;
            float poleRightHandSide = _gravityTorque * sinTheta - _pivotDamping * thetaDot - poleFriction;
            // det >= (M+m) J - (m l)^2 > 0 because J >= m l^2 and M > 0.
            float inverseDeterminant = 1f / (_totalMass * _inertia - coupling * coupling);
            xDDot = (_inertia * cartRightHandSide - coupling * poleRightHandSide) * inverseDeterminant;
            thetaDDot = (_totalMass * poleRightHandSide - coupling * cartRightHandSide) * inverseDeterminant;
        }
    }
}
