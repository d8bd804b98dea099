export default { name: 'm', protocol: 'raft', nodes: 3, until: '2s', config: new Map([['preVote', true]]) };
