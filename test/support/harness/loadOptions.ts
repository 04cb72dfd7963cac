import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INodeListSearchResult,
	INodePropertyOptions,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';
import { LoadOptionsContext } from 'n8n-core';

import { KlingApi } from '../../../credentials/KlingApi.credentials';
import { Kling } from '../../../nodes/Kling/Kling.node';
import { KLING_NODE_TYPE, TestCredentialsHelper, testNode } from './n8n';

/**
 * Calls one of the node's listSearch methods the way the editor does ("From List" in a resource
 * locator): in n8n-core's LoadOptionsContext, with the real credential and HTTP helpers.
 */
export async function listSearch(
	method: 'searchElements' | 'searchVoices' | 'searchEffectScenes',
	credentials: ICredentialDataDecryptedObject,
	network: Record<string, string>,
	filter?: string,
	parameters: IDataObject = {},
): Promise<INodeListSearchResult> {
	const kling = new Kling();
	const node = testNode('Kling', KLING_NODE_TYPE, parameters, { credentials: { klingApi: { id: 'kling-credential', name: 'Kling account' } } });
	const nodeTypes = {
		getByName: () => kling,
		getByNameAndVersion: () => kling,
		getKnownTypes: () => ({}),
	};
	const workflow = new Workflow({ id: 'wf-list-search', nodes: [node], connections: {}, active: false, nodeTypes });
	const additionalData = {
		credentialsHelper: new TestCredentialsHelper(new KlingApi(), { 'kling-credential': credentials }, network),
		restApiUrl: 'http://127.0.0.1:5678/rest',
		instanceBaseUrl: 'http://127.0.0.1:5678',
		webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
		variables: {},
	} as unknown as IWorkflowExecuteAdditionalData;
	const context = new LoadOptionsContext(workflow, node, additionalData, 'parameters.element');
	return await kling.methods.listSearch[method].call(context, filter);
}

/**
 * Calls one of the node's loadOptions methods the way the editor does for an options field with
 * `loadOptionsMethod`: in n8n-core's LoadOptionsContext, with the node's current parameters
 * (n8n sends them along, and re-asks when a `loadOptionsDependsOn` parameter changes).
 */
export async function loadOptions(
	method: keyof Kling['methods']['loadOptions'],
	parameters: IDataObject,
): Promise<INodePropertyOptions[]> {
	const kling = new Kling();
	const node = testNode('Kling', KLING_NODE_TYPE, parameters);
	const nodeTypes = {
		getByName: () => kling,
		getByNameAndVersion: () => kling,
		getKnownTypes: () => ({}),
	};
	const workflow = new Workflow({ id: 'wf-load-options', nodes: [node], connections: {}, active: false, nodeTypes });
	const additionalData = {
		currentNodeParameters: parameters,
		restApiUrl: 'http://127.0.0.1:5678/rest',
		instanceBaseUrl: 'http://127.0.0.1:5678',
		webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
		variables: {},
	} as unknown as IWorkflowExecuteAdditionalData;
	const context = new LoadOptionsContext(workflow, node, additionalData, `parameters.${String(method)}`);
	return await kling.methods.loadOptions[method].call(context);
}
