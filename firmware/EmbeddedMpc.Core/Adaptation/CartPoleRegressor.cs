using EmbeddedMpc.Core.Math;

namespace EmbeddedMpc.Core.Adaptation
{
    /// <summary>
    /// The cart-pole's equations of motion written linear in their parameters and filtered, so that no
    /// acceleration has to be differentiated out of the encoder positions: each tick gives two equations
    /// y = φᵀ p in p = (M + m, m l, J, b_c + k_emf). The pivot's damping b_p is taken as known (the
    /// prior's): its term is a few thousandths of the pole equation's on the esp32 rig, too small to identify. The same form as the host's identifier (whose
    /// modulating functions play the filter's part), in float, allocation-free, one tick at a time.
    /// </summary>
    /// <remarks>
    /// With θ = 0 upright and the drive's force F = S u - k_emf ẋ (stall force S, command u), the equations
    /// of <see cref="Model.CartPoleModel"/> are, using cos θ θ̈ - sin θ θ̇² = (sin θ)'' and
    /// cos θ ẍ = (cos θ ẋ)' + sin θ θ̇ ẋ:
    /// <code>
    ///   (M + m) ẍ + m l (sin θ)'' + (b_c + k_emf) ẋ = S u                                (1)
    ///   m l [(cos θ ẋ)' + sin θ θ̇ ẋ - g sin θ] + J θ̈ + b_p θ̇ = 0                        (2)
    /// </code>
    /// Both sides go through G(s) = 1 / (τ s + 1)²; then s² G and s G of a position are smooth derivatives
    /// (the filter is a state-variable filter, z₁ = G w, z₂ = s G w, s² G w = (w - z₁ - 2 τ z₂) / τ²), and
    /// the relation stays exact because every term passes the same linear filter. The filters see the
    /// positions and products linearly interpolated between ticks and the command held over the period
    /// (as the drive holds it), and step by the filter's exact discretization for such inputs,
    /// z(T) = Φ z(0) + Γ₀ w(0) + Γ₁ (w(T) - w(0)), computed once at construction. (A plain Euler
    /// discretization, h / τ = 5 %, biased m l and J by 5 to 10 % in the convergence test.)
    /// Equation (1) is divided by S (and weighted, see <see cref="AdaptationSettings.CartEquationWeight"/>) and (2) by the prior's m l g, and each parameter is taken relative to
    /// its prior (column i times the prior's p_i), so that both equations and all parameters are of order 1.
    /// </remarks>
    public sealed class CartPoleRegressor
    {
        /// <summary>Parameters: M + m, m l, J, b_c + k_emf.</summary>
        public const int ParameterCount = 4;

        /// <summary>Index of M + m.</summary>
        public const int TotalMass = 0;

        /// <summary>Index of m l.</summary>
        public const int PoleMassLength = 1;

        /// <summary>Index of J.</summary>
        public const int Inertia = 2;

        /// <summary>Index of b_c + k_emf.</summary>
        public const int CartAndDriveDamping = 3;

        /// <summary>RK4 steps per control period with which the exact discretization is computed at construction.</summary>
        private const int DiscretizationSteps = 200;

        // The filtered signals: x, sin θ, θ (unwrapped), cos θ ẋ, sin θ θ̇ ẋ, the command.
        private const int SignalCount = 6;
        private const int CartPosition = 0;
        private const int SinTheta = 1;
        private const int Angle = 2;
        private const int CosThetaCartSpeed = 3;
        private const int CoriolisProduct = 4;
        private const int Command = 5;

        private const float TwoPi = 6.28318531f;

        private readonly float _periodSeconds;
        private readonly float _timeConstantSeconds;
        private readonly float _gravity;
        private readonly int _warmUpTicks;
        private readonly float[] _scale;           // [ParameterCount]: the prior's p_i
        private readonly float _cartEquationScale; // weight / S
        private readonly float _cartEquationWeight;
        private readonly float _poleEquationScale; // 1 / (prior's m l g)
        private readonly float[] _transition;      // [2 x 2] row-major, Φ = e^(A T)
        private readonly float[] _heldInputGain;   // [2], Γ₀: response to a unit input held over the period
        private readonly float[] _rampInputGain;   // [2], Γ₁: response to an input rising from 0 to 1 over the period
        private readonly float[] _filtered;        // [SignalCount x 2]: z₁ = G w, z₂ = s G w
        private float[] _input;                    // [SignalCount]: w at this tick (swapped with _previousInput each tick: no copy)
        private float[] _previousInput;            // [SignalCount]: w at the last tick
        private readonly float[] _cartRow;         // [ParameterCount]: φ of equation (1)
        private readonly float[] _poleRow;         // [ParameterCount]: φ of equation (2)
        private float _fromGain0;                  // Γ₀ - Γ₁, row 0: weight of the last tick's input
        private float _fromGain1;                  // Γ₀ - Γ₁, row 1
        private float _toGain0;                    // Γ₁, row 0: weight of this tick's input
        private float _toGain1;                    // Γ₁, row 1
        private readonly float _twoTimeConstants;  // 2 τ
        // Each regressor column's factor: prior p_i times the equation's normalization, and 1 / τ² where the
        // column is a second derivative (folded here, once, instead of dividing every tick).
        private readonly float _cartMassColumnScale;
        private readonly float _cartCouplingColumnScale;
        private readonly float _cartDampingColumnScale;
        private readonly float _poleCouplingColumnScale;
        private readonly float _poleInertiaColumnScale;
        private readonly float _poleDampingMeasurementScale; // -b_p / (m l g)
        private float _cartMeasurement;            // y of equation (1)
        private float _poleMeasurement;            // y of equation (2)
        private float _lastAngle;                  // θ as measured at the last tick (wrapped or not)
        private int _ticksSinceStart;              // -1: not started
        private float _heldCommand;                // the command applied over the period that ends at the next observation

        /// <param name="periodSeconds">Control period T, s; (0, 1].</param>
        /// <param name="timeConstantSeconds">τ, s; at least T and at most 2.</param>
        /// <param name="gravity">g, m/s²; (0, 100].</param>
        /// <param name="stallForceNewtons">S, N per unit command; (0, 10000].</param>
        /// <param name="cartEquationWeight">Weight of equation (1) after its division by S; [0.01, 100].</param>
        /// <param name="priorTotalMass">M + m of the prior, kg; (0, 2000].</param>
        /// <param name="priorPoleMassLength">m l of the prior, kg·m; (0, 1000].</param>
        /// <param name="priorInertia">J of the prior, kg·m²; (0, 1000].</param>
        /// <param name="pivotDamping">b_p, N·m·s/rad (known); [0, 100].</param>
        /// <param name="cartDampingScale">The unit of b_c + k_emf, N·s/m; (0, 2000].</param>
        /// <exception cref="System.ArgumentException">A value is outside its range.</exception>
        public CartPoleRegressor(float periodSeconds, float timeConstantSeconds, float gravity, float stallForceNewtons, float cartEquationWeight,
            float priorTotalMass, float priorPoleMassLength, float priorInertia, float pivotDamping, float cartDampingScale)
        {
            Validation.RequireAbove(periodSeconds, 0f, 1f, nameof(periodSeconds));
            Validation.RequireInRange(timeConstantSeconds, periodSeconds, 2f, nameof(timeConstantSeconds));
            Validation.RequireAbove(gravity, 0f, 100f, nameof(gravity));
            Validation.RequireAbove(stallForceNewtons, 0f, 10000f, nameof(stallForceNewtons));
            Validation.RequireInRange(cartEquationWeight, 0.01f, 100f, nameof(cartEquationWeight));
            Validation.RequireAbove(priorTotalMass, 0f, 2000f, nameof(priorTotalMass));
            Validation.RequireAbove(priorPoleMassLength, 0f, 1000f, nameof(priorPoleMassLength));
            Validation.RequireAbove(priorInertia, 0f, 1000f, nameof(priorInertia));
            Validation.RequireInRange(pivotDamping, 0f, 100f, nameof(pivotDamping));
            Validation.RequireAbove(cartDampingScale, 0f, 2000f, nameof(cartDampingScale));
            _periodSeconds = periodSeconds;
            _timeConstantSeconds = timeConstantSeconds;
            _gravity = gravity;
            // The filter's start-up transient decays as t e^(-t/τ): after 5 τ it is under 4 % of a step.
            _warmUpTicks = (int)(5f * timeConstantSeconds / periodSeconds) + 1;
            _scale = new float[ParameterCount];
            _scale[TotalMass] = priorTotalMass;
            _scale[PoleMassLength] = priorPoleMassLength;
            _scale[Inertia] = priorInertia;
            _scale[CartAndDriveDamping] = cartDampingScale;
            _cartEquationScale = cartEquationWeight / stallForceNewtons;
            _cartEquationWeight = cartEquationWeight;
            _poleEquationScale = 1f / (priorPoleMassLength * gravity);
            _twoTimeConstants = 2f * timeConstantSeconds;
            float inverseTauSquared = 1f / (timeConstantSeconds * timeConstantSeconds);
            _cartMassColumnScale = priorTotalMass * _cartEquationScale * inverseTauSquared;
            _cartCouplingColumnScale = priorPoleMassLength * _cartEquationScale * inverseTauSquared;
            _cartDampingColumnScale = cartDampingScale * _cartEquationScale;
            _poleCouplingColumnScale = priorPoleMassLength * _poleEquationScale;
            _poleInertiaColumnScale = priorInertia * _poleEquationScale * inverseTauSquared;
            _poleDampingMeasurementScale = -pivotDamping * _poleEquationScale;
            _transition = new float[4];
            _heldInputGain = new float[2];
            _rampInputGain = new float[2];
            Discretize();
            _filtered = new float[2 * SignalCount];
            _input = new float[SignalCount];
            _previousInput = new float[SignalCount];
            // The columns an equation does not contain (J in the cart's; M + m and b_c + k_emf in the pole's) stay 0.
            _cartRow = new float[ParameterCount];
            _poleRow = new float[ParameterCount];
            Restart();
        }

        /// <summary>φ of equation (1), the cart's, [ParameterCount]; valid after <see cref="Observe"/> returned true.</summary>
        public float[] CartRow => _cartRow;

        /// <summary>y of equation (1).</summary>
        public float CartMeasurement => _cartMeasurement;

        /// <summary>φ of equation (2), the pole's, [ParameterCount].</summary>
        public float[] PoleRow => _poleRow;

        /// <summary>y of equation (2): minus the known pivot damping's term.</summary>
        public float PoleMeasurement => _poleMeasurement;

        /// <summary>The unit of parameter <paramref name="index"/>: its prior value (relative estimate 1).</summary>
        public float Scale(int index) => _scale[index];

        /// <summary>Forgets the signals' history: the next observation starts the filters anew (after a pause in driving).</summary>
        public void Restart()
        {
            _ticksSinceStart = -1;
            _heldCommand = 0f;
        }

        /// <summary>
        /// Takes the measured state at the end of a control period and the command that will be held over
        /// the next one. Returns true when the filters have warmed up and <see cref="CartRow"/>,
        /// <see cref="CartMeasurement"/> and <see cref="PoleRow"/> hold this tick's equations.
        /// </summary>
        /// <param name="x">Cart position, m.</param>
        /// <param name="xDot">Cart speed, m/s.</param>
        /// <param name="theta">Pole angle, rad, 0 upright (wrapped or not: the regressor unwraps it).</param>
        /// <param name="thetaDot">Pole speed, rad/s.</param>
        /// <param name="nextCommand">The command applied from now until the next observation (normalized).</param>
        public bool Observe(float x, float xDot, float theta, float thetaDot, float nextCommand)
        {
            float sinTheta;
            float cosTheta;
            FloatMath.SinCos(theta, out sinTheta, out cosTheta);
            if (_ticksSinceStart < 0)
            {
                StartAt(x, xDot, theta, thetaDot, sinTheta, cosTheta);
                _heldCommand = nextCommand;
                return false;
            }

            // Unwrap: the angle moves less than half a turn per tick (the estimator's speed check).
            float step = theta - _lastAngle;
            while (step > 0.5f * TwoPi)
            {
                step -= TwoPi;
            }

            while (step < -0.5f * TwoPi)
            {
                step += TwoPi;
            }

            _lastAngle = theta;
            float[] input = _input;
            float angle = _previousInput[Angle] + step;
            input[CartPosition] = x;
            input[SinTheta] = sinTheta;
            input[Angle] = angle;
            input[CosThetaCartSpeed] = cosTheta * xDot;
            input[CoriolisProduct] = sinTheta * thetaDot * xDot;
            input[Command] = _heldCommand;
            _previousInput[Command] = _heldCommand;
            Integrate();
            _heldCommand = nextCommand;
            KeepAngleNearZero();

            int ticksSinceStart = _ticksSinceStart + 1;
            _ticksSinceStart = ticksSinceStart;
            if (ticksSinceStart < _warmUpTicks)
            {
                SwapInputs();
                return false;
            }

            // s² G w = (w - z₁ - 2 τ z₂) / τ², with the 1 / τ² folded into the equations' scales at construction.
            float[] filtered = _filtered;
            float twoTau = _twoTimeConstants;
            float cartAcceleration = input[CartPosition] - filtered[2 * CartPosition] - twoTau * filtered[2 * CartPosition + 1];
            float sinThetaSecondDerivative = input[SinTheta] - filtered[2 * SinTheta] - twoTau * filtered[2 * SinTheta + 1];
            float angleAcceleration = input[Angle] - filtered[2 * Angle] - twoTau * filtered[2 * Angle + 1];
            SwapInputs();

            float[] cartRow = _cartRow;
            cartRow[TotalMass] = _cartMassColumnScale * cartAcceleration;
            cartRow[PoleMassLength] = _cartCouplingColumnScale * sinThetaSecondDerivative;
            cartRow[CartAndDriveDamping] = _cartDampingColumnScale * filtered[2 * CartPosition + 1];
            _cartMeasurement = _cartEquationWeight * filtered[2 * Command];

            float[] poleRow = _poleRow;
            float poleCoupling = filtered[2 * CosThetaCartSpeed + 1] + filtered[2 * CoriolisProduct] - _gravity * filtered[2 * SinTheta];
            poleRow[PoleMassLength] = _poleCouplingColumnScale * poleCoupling;
            poleRow[Inertia] = _poleInertiaColumnScale * angleAcceleration;
            _poleMeasurement = _poleDampingMeasurementScale * filtered[2 * Angle + 1];
            return true;
        }

        /// <summary>This tick's inputs become the last tick's: the two buffers trade places instead of being copied.</summary>
        private void SwapInputs()
        {
            float[] current = _input;
            _input = _previousInput;
            _previousInput = current;
        }

        private void StartAt(float x, float xDot, float theta, float thetaDot, float sinTheta, float cosTheta)
        {
            _lastAngle = theta;
            SetInputs(x, xDot, theta, thetaDot, sinTheta, cosTheta);
            _input[Command] = 0f;
            for (int i = 0; i < SignalCount; i++)
            {
                // At rest in the filter's steady state: G w = w, s G w = 0.
                _previousInput[i] = _input[i];
                _filtered[2 * i] = _input[i];
                _filtered[2 * i + 1] = 0f;
            }

            _ticksSinceStart = 0;
            KeepAngleNearZero();
            SwapInputs();
        }

        private void SetInputs(float x, float xDot, float angle, float thetaDot, float sinTheta, float cosTheta)
        {
            _input[CartPosition] = x;
            _input[SinTheta] = sinTheta;
            _input[Angle] = angle;
            _input[CosThetaCartSpeed] = cosTheta * xDot;
            _input[CoriolisProduct] = sinTheta * thetaDot * xDot;
        }

        /// <summary>
        /// One period of every filter: inputs linearly interpolated from the last tick's to this tick's (the command:
        /// held). z(T) = Φ z + Γ₀ w₀ + Γ₁ (w₁ - w₀) = Φ z + (Γ₀ - Γ₁) w₀ + Γ₁ w₁, with the coefficients in locals:
        /// this runs every tick beside the planner, so it is written for few IL instructions.
        /// </summary>
        private void Integrate()
        {
            float[] filtered = _filtered;
            float[] input = _input;
            float[] previous = _previousInput;
            float[] phi = _transition;
            float phi0 = phi[0];
            float phi1 = phi[1];
            float phi2 = phi[2];
            float phi3 = phi[3];
            float from0 = _fromGain0;
            float from1 = _fromGain1;
            float to0 = _toGain0;
            float to1 = _toGain1;
            int index = 0;
            for (int signal = 0; signal < SignalCount; signal++)
            {
                float from = previous[signal];
                float to = input[signal];
                float z1 = filtered[index];
                float z2 = filtered[index + 1];
                filtered[index] = phi0 * z1 + phi1 * z2 + from0 * from + to0 * to;
                filtered[index + 1] = phi2 * z1 + phi3 * z2 + from1 * from + to1 * to;
                index += 2;
            }
        }

        /// <summary>
        /// Φ, Γ₀ and Γ₁ of z' = A z + B w, A = [0, 1; -1/τ², -2/τ], B = [0; 1/τ²], over one period, by
        /// <see cref="DiscretizationSteps"/> RK4 steps (construction time only; float, no library exponential).
        /// </summary>
        private void Discretize()
        {
            // Columns of Φ: the free responses from the unit vectors.
            Propagate(1f, 0f, 0f, 0f, out _transition[0], out _transition[2]);
            Propagate(0f, 1f, 0f, 0f, out _transition[1], out _transition[3]);
            Propagate(0f, 0f, 1f, 0f, out _heldInputGain[0], out _heldInputGain[1]);
            Propagate(0f, 0f, 0f, 1f, out _rampInputGain[0], out _rampInputGain[1]);
            _fromGain0 = _heldInputGain[0] - _rampInputGain[0];
            _fromGain1 = _heldInputGain[1] - _rampInputGain[1];
            _toGain0 = _rampInputGain[0];
            _toGain1 = _rampInputGain[1];
        }

        /// <summary>The state after one period from (z1, z2) under the input w(t) = held + ramp t / T.</summary>
        private void Propagate(float z1, float z2, float held, float ramp, out float endZ1, out float endZ2)
        {
            float h = _periodSeconds / DiscretizationSteps;
            for (int i = 0; i < DiscretizationSteps; i++)
            {
                float t = i * h;
                float w0 = held + ramp * (t / _periodSeconds);
                float wHalf = held + ramp * ((t + 0.5f * h) / _periodSeconds);
                float w1 = held + ramp * ((t + h) / _periodSeconds);
                float a1 = z2;
                float b1 = FilterAcceleration(z1, z2, w0);
                float a2 = z2 + 0.5f * h * b1;
                float b2 = FilterAcceleration(z1 + 0.5f * h * a1, a2, wHalf);
                float a3 = z2 + 0.5f * h * b2;
                float b3 = FilterAcceleration(z1 + 0.5f * h * a2, a3, wHalf);
                float a4 = z2 + h * b3;
                float b4 = FilterAcceleration(z1 + h * a3, a4, w1);
                z1 += h / 6f * (a1 + 2f * a2 + 2f * a3 + a4);
                z2 += h / 6f * (b1 + 2f * b2 + 2f * b3 + b4);
            }

            endZ1 = z1;
            endZ2 = z2;
        }

        private float FilterAcceleration(float z1, float z2, float w)
        {
            return (w - z1 - 2f * _timeConstantSeconds * z2) / (_timeConstantSeconds * _timeConstantSeconds);
        }

        /// <summary>
        /// Shifts the unwrapped angle and its filter's state by whole turns when it leaves [-π, π]: the
        /// derivatives do not change, and float keeps its resolution however often the pole turns over.
        /// </summary>
        private void KeepAngleNearZero()
        {
            float angle = _input[Angle];
            float shift = 0f;
            while (angle + shift > 0.5f * TwoPi)
            {
                shift -= TwoPi;
            }

            while (angle + shift < -0.5f * TwoPi)
            {
                shift += TwoPi;
            }

            _input[Angle] += shift;
            _previousInput[Angle] += shift;
            _filtered[2 * Angle] += shift;
        }
    }
}
