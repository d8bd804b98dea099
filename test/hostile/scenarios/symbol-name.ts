export default { name: Symbol('s'), protocol: 'raft', nodes: 3, until: '2s' };
