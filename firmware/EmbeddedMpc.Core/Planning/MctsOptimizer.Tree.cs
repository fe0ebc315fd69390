using EmbeddedMpc.Core.Model;

namespace EmbeddedMpc.Core.Planning
{
    // The tree's storage: nodes in flat arrays indexed by node id (see the fields in MctsOptimizer.cs),
    // made once at construction; clearing, growing, re-rooting into the spare arrays, reading the plan
    // off the most visited path, and moving states between the scratch state and a node's row.
    public sealed partial class MctsOptimizer
    {
        private void ClearTree()
        {
            _nodeCount = 1;
            _visits[0] = 0;
            _costSums[0] = 0f;
            _edgeCosts[0] = 0f;
            _firstChildren[0] = -1;
            _nodeLevels[0] = (_levels - 1) / 2;
            _ticksUntilDecision = 0;
            _hasTree = true;
        }

        private int AllocateChildren(int node)
        {
            int first = _nodeCount;
            for (int j = 0; j < _levels; j++)
            {
                int id = first + j;
                _visits[id] = 0;
                _costSums[id] = 0f;
                _edgeCosts[id] = 0f;
                _firstChildren[id] = -1;
                _nodeLevels[id] = j;
            }

            _nodeCount += _levels;
            _firstChildren[node] = first;
            return first;
        }

        // Q of a visited node: cost of its edge plus its mean cost-to-go.
        private float MeanActionCost(int id) => _edgeCosts[id] + _costSums[id] / _visits[id];

        // Most visited child (ties: the lower Q). The root always has a visited child after a search.
        private int MostVisitedChild(int node)
        {
            int first = _firstChildren[node];
            int best = first;
            for (int j = 1; j < _levels; j++)
            {
                int id = first + j;
                if (_visits[id] > _visits[best] || (_visits[id] == _visits[best] && _visits[id] > 0 && MeanActionCost(id) < MeanActionCost(best)))
                {
                    best = id;
                }
            }

            return best;
        }

        // Makes `chosen` the root: copies its subtree breadth-first into the spare buffers, then swaps them in.
        private void ReRoot(int chosen)
        {
            _copySource[0] = chosen;
            int count = 1;
            for (int head = 0; head < count; head++)
            {
                int old = _copySource[head];
                int row = 4 * old;
                int newRow = 4 * head;
                _spareStates[newRow] = _states[row];
                _spareStates[newRow + 1] = _states[row + 1];
                _spareStates[newRow + 2] = _states[row + 2];
                _spareStates[newRow + 3] = _states[row + 3];
                _spareVisits[head] = _visits[old];
                _spareCostSums[head] = _costSums[old];
                _spareEdgeCosts[head] = _edgeCosts[old];
                _spareNodeLevels[head] = _nodeLevels[old];
                int first = _firstChildren[old];
                if (first < 0)
                {
                    _spareFirstChildren[head] = -1;
                    continue;
                }

                _spareFirstChildren[head] = count;
                for (int j = 0; j < _levels; j++)
                {
                    _copySource[count++] = first + j;
                }
            }

            Swap();
            _nodeCount = count;
        }

        private void Swap()
        {
            float[] states = _states;
            _states = _spareStates;
            _spareStates = states;
            int[] visits = _visits;
            _visits = _spareVisits;
            _spareVisits = visits;
            float[] costSums = _costSums;
            _costSums = _spareCostSums;
            _spareCostSums = costSums;
            float[] edgeCosts = _edgeCosts;
            _edgeCosts = _spareEdgeCosts;
            _spareEdgeCosts = edgeCosts;
            int[] firstChildren = _firstChildren;
            _firstChildren = _spareFirstChildren;
            _spareFirstChildren = firstChildren;
            int[] nodeLevels = _nodeLevels;
            _nodeLevels = _spareNodeLevels;
            _spareNodeLevels = nodeLevels;
        }

        // plan[0] = the committed action; then the most visited path below the root, padded with its last action.
        private void WritePlan(float[] plan)
        {
            float action = _committedAction;
            plan[0] = action;
            int node = 0;
            for (int k = 1; k < _treeDepth; k++)
            {
                if (node >= 0 && _firstChildren[node] >= 0)
                {
                    int child = MostVisitedChild(node);
                    if (_visits[child] > 0)
                    {
                        action = _levelActions[_nodeLevels[child]];
                        node = child;
                    }
                    else
                    {
                        node = -1;
                    }
                }
                else
                {
                    node = -1;
                }

                plan[k] = action;
            }
        }

        private void ReadState(int id)
        {
            int row = 4 * id;
            _scratch.X = _states[row];
            _scratch.XDot = _states[row + 1];
            _scratch.Theta = _states[row + 2];
            _scratch.ThetaDot = _states[row + 3];
        }

        private void WriteState(int id, ref CartPoleState state)
        {
            int row = 4 * id;
            _states[row] = state.X;
            _states[row + 1] = state.XDot;
            _states[row + 2] = state.Theta;
            _states[row + 3] = state.ThetaDot;
        }
    }
}
