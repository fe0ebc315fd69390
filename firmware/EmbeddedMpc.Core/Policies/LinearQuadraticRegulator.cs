using EmbeddedMpc.Core.Math;
using EmbeddedMpc.Core.Model;

namespace EmbeddedMpc.Core.Policies
{
    /// <summary>
    /// Infinite-horizon discrete-time LQR about the upright equilibrium, solved once at construction
    /// (start-up): the model is linearized (<see cref="CartPoleModel.LinearizeUpright"/>) with the drive
    /// folded in (input = normalized command u, force F = F_stall u - k_emf xDot), discretized with a
    /// fourth-order series of the matrix exponential, and the discrete algebraic Riccati equation
    /// <code>
    ///   P = Q + A'PA - A'PB (R + B'PB)^-1 B'PA,    K = (R + B'PB)^-1 B'PA,    u = -K s
    /// </code>
    /// is iterated to convergence. s = [x, xDot, theta (wrapped to [-pi, pi]), thetaDot].
    /// V(s) = s'Ps is the optimal cost-to-go of the linear model, usable as an MPC terminal value.
    /// </summary>
    public sealed class LinearQuadraticRegulator
    {
        private readonly float[] _gain = new float[4];          // K [1 x 4]
        private readonly float[] _costToGo = new float[16];     // P [4 x 4], row-major

        /// <param name="model">The planner's model.</param>
        /// <param name="drive">The drive, or null for an ideal force source of the model's force limit.</param>
        /// <param name="timeStepSeconds">Discretization step (the control period), s; [0.001, 1].</param>
        /// <param name="stateWeights">Diagonal of Q: weights of x^2, xDot^2, theta^2, thetaDot^2; each [0, 1e6].</param>
        /// <param name="commandWeight">R: weight of u^2; (0, 1e6].</param>
        /// <exception cref="System.ArgumentException">An argument is out of range, or the Riccati iteration did not converge.</exception>
        public LinearQuadraticRegulator(CartPoleModel model, MotorParameters drive, float timeStepSeconds, float[] stateWeights, float commandWeight)
        {
            Validation.RequireNotNull(model, nameof(model));
            Validation.RequireNotNull(stateWeights, nameof(stateWeights));
            Validation.RequireInRange(timeStepSeconds, 0.001f, 1f, nameof(timeStepSeconds));
            Validation.RequireInRange(stateWeights.Length, 4, 4, "stateWeights.Length");
            for (int i = 0; i < 4; i++)
            {
                Validation.RequireInRange(stateWeights[i], 0f, 1e6f, nameof(stateWeights));
            }

            Validation.RequireAbove(commandWeight, 0f, 1e6f, nameof(commandWeight));

            var a = new float[16];
            var b = new float[4];
            model.LinearizeUpright(a, b);
            float stallForce = model.Parameters.MaxForceNewtons;
            float backEmfDamping = 0f;
            if (drive != null)
            {
                drive.Validate();
                stallForce = drive.StallForcePerDutyNewtons();
                backEmfDamping = drive.BackEmfDampingNewtonSecondsPerMeter();
            }

            // F = F_stall u - k_emf xDot: the back-EMF adds -k_emf B_F to the xDot column of A.
            for (int row = 0; row < 4; row++)
            {
                a[row * 4 + 1] -= backEmfDamping * b[row];
                b[row] *= stallForce;
            }

            var ad = new float[16];
            var bd = new float[4];
            Discretize(a, b, timeStepSeconds, ad, bd);
            SolveRiccati(ad, bd, stateWeights, commandWeight);
        }

        /// <summary>u = -K s for the state (theta wrapped), not clamped.</summary>
        public float Command(ref CartPoleState state)
        {
            float theta = FloatMath.WrapToPi(state.Theta);
            return -(_gain[0] * state.X + _gain[1] * state.XDot + _gain[2] * theta + _gain[3] * state.ThetaDot);
        }

        /// <summary>V(s) = s'Ps for the state (theta wrapped).</summary>
        public float Value(ref CartPoleState state)
        {
            float s0 = state.X;
            float s1 = state.XDot;
            float s2 = FloatMath.WrapToPi(state.Theta);
            float s3 = state.ThetaDot;
            float[] p = _costToGo;
            return s0 * (p[0] * s0 + p[1] * s1 + p[2] * s2 + p[3] * s3)
                + s1 * (p[4] * s0 + p[5] * s1 + p[6] * s2 + p[7] * s3)
                + s2 * (p[8] * s0 + p[9] * s1 + p[10] * s2 + p[11] * s3)
                + s3 * (p[12] * s0 + p[13] * s1 + p[14] * s2 + p[15] * s3);
        }

        /// <summary>
        /// Gradient 2Ps and Hessian 2P of <see cref="Value"/> (theta wrapped), scaled by
        /// <paramref name="weight"/>, into the state entries of a 5-variable gradient and 5 x 5 Hessian
        /// (x, xDot, theta, thetaDot, u); the action's entries are set to zero.
        /// </summary>
        public void ValueDerivatives(ref CartPoleState state, float weight, float[] gradient, float[] hessian)
        {
            float s0 = state.X;
            float s1 = state.XDot;
            float s2 = FloatMath.WrapToPi(state.Theta);
            float s3 = state.ThetaDot;
            float[] p = _costToGo;
            for (int i = 0; i < 4; i++)
            {
                // P is symmetric: d(s'Ps)/ds = 2Ps.
                gradient[i] = 2f * weight * (p[i * 4] * s0 + p[i * 4 + 1] * s1 + p[i * 4 + 2] * s2 + p[i * 4 + 3] * s3);
                for (int j = 0; j < 4; j++)
                {
                    hessian[i * 5 + j] = 2f * weight * p[i * 4 + j];
                }

                hessian[i * 5 + 4] = 0f;
                hessian[4 * 5 + i] = 0f;
            }

            gradient[4] = 0f;
            hessian[24] = 0f;
        }

        // Ad = sum_k (A dt)^k / k!, Bd = sum_k A^k dt^(k+1) / (k+1)! B, k = 0..4.
        private static void Discretize(float[] a, float[] b, float dt, float[] ad, float[] bd)
        {
            var term = new float[16];     // (A dt)^k / k!
            var next = new float[16];
            var integral = new float[16]; // sum_k (A dt)^k dt / (k+1)!
            for (int i = 0; i < 16; i++)
            {
                term[i] = i % 5 == 0 ? 1f : 0f;
                ad[i] = term[i];
                integral[i] = term[i] * dt;
            }

            for (int k = 1; k <= 4; k++)
            {
                Multiply(term, a, next);
                for (int i = 0; i < 16; i++)
                {
                    term[i] = next[i] * dt / k;
                    ad[i] += term[i];
                    integral[i] += term[i] * dt / (k + 1);
                }
            }

            for (int row = 0; row < 4; row++)
            {
                float sum = 0f;
                for (int column = 0; column < 4; column++)
                {
                    sum += integral[row * 4 + column] * b[column];
                }

                bd[row] = sum;
            }
        }

        private void SolveRiccati(float[] a, float[] b, float[] stateWeights, float commandWeight)
        {
            float[] p = _costToGo;
            var pa = new float[16];
            var next = new float[16];
            var pb = new float[4];
            for (int i = 0; i < 16; i++)
            {
                p[i] = i % 5 == 0 ? stateWeights[i / 5] : 0f;
            }

            for (int iteration = 0; iteration < 20000; iteration++)
            {
                Multiply(p, a, pa);                        // PA
                for (int i = 0; i < 4; i++)
                {
                    float sum = 0f;
                    for (int k = 0; k < 4; k++)
                    {
                        sum += p[i * 4 + k] * b[k];
                    }

                    pb[i] = sum;                           // PB
                }

                float denominator = commandWeight;         // R + B'PB
                for (int k = 0; k < 4; k++)
                {
                    denominator += b[k] * pb[k];
                }

                for (int column = 0; column < 4; column++)
                {
                    float sum = 0f;                        // (B'PA)_column
                    for (int k = 0; k < 4; k++)
                    {
                        sum += b[k] * pa[k * 4 + column];
                    }

                    _gain[column] = sum / denominator;
                }

                float change = 0f;
                float scale = 0f;
                for (int row = 0; row < 4; row++)
                {
                    for (int column = 0; column < 4; column++)
                    {
                        // (A'PA)_rc - (A'PB)_r K_c + Q_rc
                        float atpa = 0f;
                        float atpb = 0f;
                        for (int k = 0; k < 4; k++)
                        {
                            atpa += a[k * 4 + row] * pa[k * 4 + column];
                            atpb += a[k * 4 + row] * pb[k];
                        }

                        float q = row == column ? stateWeights[row] : 0f;
                        float value = q + atpa - atpb * _gain[column];
                        next[row * 4 + column] = value;
                        change = FloatMath.Max(change, FloatMath.Abs(value - p[row * 4 + column]));
                        scale = FloatMath.Max(scale, FloatMath.Abs(value));
                    }
                }

                for (int i = 0; i < 16; i++)
                {
                    // Keep P symmetric against round-off.
                    p[i] = 0.5f * (next[i] + next[(i % 4) * 4 + i / 4]);
                }

                if (change <= 1e-5f * scale)
                {
                    return;
                }
            }

            throw new System.ArgumentException("The Riccati iteration did not converge: check that the weights are positive and the model is controllable.", nameof(stateWeights));
        }

        private static void Multiply(float[] left, float[] right, float[] result)
        {
            for (int row = 0; row < 4; row++)
            {
                for (int column = 0; column < 4; column++)
                {
                    float sum = 0f;
                    for (int k = 0; k < 4; k++)
                    {
                        sum += left[row * 4 + k] * right[k * 4 + column];
                    }

                    result[row * 4 + column] = sum;
                }
            }
        }
    }
}
