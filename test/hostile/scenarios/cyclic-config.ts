const config: any = {}; config.self = config;
export default { name: 'c', protocol: 'raft', nodes: 3, until: '2s', config };
