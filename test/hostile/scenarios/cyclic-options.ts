const options: any = { list: [] }; options.list.push(options);
export default { name: 'c', protocol: 'raft', nodes: 3, until: '2s', workload: { name: 'kv', options } };
