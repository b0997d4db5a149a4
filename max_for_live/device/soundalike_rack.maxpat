{
	"patcher": {
		"fileversion": 1,
		"appversion": {
			"major": 8,
			"minor": 5,
			"revision": 5,
			"architecture": "x64",
			"modernui": 1
		},
		"classnamespace": "box",
		"rect": [
			100.0,
			100.0,
			1000.0,
			700.0
		],
		"openrect": [
			0.0,
			0.0,
			440.0,
			169.0
		],
		"openinpresentation": 1,
		"default_fontsize": 10.0,
		"default_fontface": 0,
		"default_fontname": "Ableton Sans Medium",
		"gridsize": [
			8.0,
			8.0
		],
		"boxanimatetime": 500,
		"devicewidth": 440.0,
		"description": "soundalike Rack Filler: fill the Drum Rack after this device with sounds like the one you drop, from your own library (Live 12.4 and later load the pads).",
		"boxes": [
			{
				"box": {
					"id": "obj-1",
					"maxclass": "newobj",
					"numinlets": 18,
					"numoutlets": 7,
					"outlettype": [
						"",
						"",
						"",
						"",
						"",
						"",
						""
					],
					"patching_rect": [
						20.0,
						300.0,
						520.0,
						22.0
					],
					"text": "js soundalike_live.js rack",
					"saved_object_attributes": {
						"filename": "soundalike_live.js",
						"parameter_enable": 0
					},
					"varname": "---logic"
				}
			},
			{
				"box": {
					"id": "obj-2",
					"maxclass": "newobj",
					"numinlets": 1,
					"numoutlets": 3,
					"outlettype": [
						"bang",
						"int",
						"int"
					],
					"patching_rect": [
						20.0,
						20.0,
						90.0,
						22.0
					],
					"text": "live.thisdevice"
				}
			},
			{
				"box": {
					"id": "obj-3",
					"maxclass": "newobj",
					"numinlets": 1,
					"numoutlets": 1,
					"outlettype": [
						""
					],
					"patching_rect": [
						120.0,
						20.0,
						140.0,
						22.0
					],
					"text": "udpreceive 0 @defer 1"
				}
			},
			{
				"box": {
					"id": "obj-4",
					"maxclass": "live.drop",
					"numinlets": 1,
					"numoutlets": 2,
					"outlettype": [
						"",
						""
					],
					"patching_rect": [
						280.0,
						20.0,
						140.0,
						60.0
					],
					"presentation": 1,
					"presentation_rect": [
						8.0,
						8.0,
						144.0,
						60.0
					],
					"legend": "Drop a sample",
					"parameter_enable": 1,
					"saved_attribute_attributes": {
						"valueof": {
							"parameter_longname": "Query",
							"parameter_shortname": "Query",
							"parameter_type": 4,
							"parameter_invisible": 1
						}
					}
				}
			},
			{
				"box": {
					"id": "obj-5",
					"maxclass": "live.text",
					"numinlets": 1,
					"numoutlets": 2,
					"outlettype": [
						"",
						""
					],
					"patching_rect": [
						160.0,
						120.0,
						64.0,
						18.0
					],
					"presentation": 1,
					"presentation_rect": [
						160.0,
						8.0,
						68.0,
						18.0
					],
					"text": "Similar",
					"mode": 0,
					"texton": "Similar",
					"parameter_enable": 1,
					"saved_attribute_attributes": {
						"valueof": {
							"parameter_longname": "Similar",
							"parameter_shortname": "Similar",
							"parameter_type": 2,
							"parameter_enum": [
								"off",
								"on"
							],
							"parameter_mmax": 1,
							"parameter_invisible": 1
						}
					}
				}
			},
			{
				"box": {
					"id": "obj-6",
					"maxclass": "live.text",
					"numinlets": 1,
					"numoutlets": 2,
					"outlettype": [
						"",
						""
					],
					"patching_rect": [
						230.0,
						120.0,
						64.0,
						18.0
					],
					"presentation": 1,
					"presentation_rect": [
						160.0,
						30.0,
						68.0,
						18.0
					],
					"text": "Cluster",
					"mode": 0,
					"texton": "Cluster",
					"parameter_enable": 1,
					"saved_attribute_attributes": {
						"valueof": {
							"parameter_longname": "Cluster",
							"parameter_shortname": "Cluster",
							"parameter_type": 2,
							"parameter_enum": [
								"off",
								"on"
							],
							"parameter_mmax": 1,
							"parameter_invisible": 1
						}
					}
				}
			},
			{
				"box": {
					"id": "obj-7",
					"maxclass": "live.text",
					"numinlets": 1,
					"numoutlets": 2,
					"outlettype": [
						"",
						""
					],
					"patching_rect": [
						300.0,
						120.0,
						64.0,
						18.0
					],
					"presentation": 1,
					"presentation_rect": [
						160.0,
						52.0,
						68.0,
						18.0
					],
					"text": "Fill rack",
					"mode": 0,
					"texton": "Fill rack",
					"parameter_enable": 1,
					"saved_attribute_attributes": {
						"valueof": {
							"parameter_longname": "Fill rack",
							"parameter_shortname": "Fill rack",
							"parameter_type": 2,
							"parameter_enum": [
								"off",
								"on"
							],
							"parameter_mmax": 1,
							"parameter_invisible": 1
						}
					}
				}
			},
			{
				"box": {
					"id": "obj-8",
					"maxclass": "live.text",
					"numinlets": 1,
					"numoutlets": 2,
					"outlettype": [
						"",
						""
					],
					"patching_rect": [
						370.0,
						120.0,
						64.0,
						18.0
					],
					"presentation": 1,
					"presentation_rect": [
						235.0,
						8.0,
						68.0,
						18.0
					],
					"text": "Swap next",
					"mode": 0,
					"texton": "Swap next",
					"parameter_enable": 1,
					"saved_attribute_attributes": {
						"valueof": {
							"parameter_longname": "Swap next",
							"parameter_shortname": "Swap next",
							"parameter_type": 2,
							"parameter_enum": [
								"off",
								"on"
							],
							"parameter_mmax": 1,
							"parameter_invisible": 1
						}
					}
				}
			},
			{
				"box": {
					"id": "obj-9",
					"maxclass": "live.text",
					"numinlets": 1,
					"numoutlets": 2,
					"outlettype": [
						"",
						""
					],
					"patching_rect": [
						440.0,
						120.0,
						64.0,
						18.0
					],
					"presentation": 1,
					"presentation_rect": [
						235.0,
						30.0,
						68.0,
						18.0
					],
					"text": "Swap prev",
					"mode": 0,
					"texton": "Swap prev",
					"parameter_enable": 1,
					"saved_attribute_attributes": {
						"valueof": {
							"parameter_longname": "Swap prev",
							"parameter_shortname": "Swap prev",
							"parameter_type": 2,
							"parameter_enum": [
								"off",
								"on"
							],
							"parameter_mmax": 1,
							"parameter_invisible": 1
						}
					}
				}
			},
			{
				"box": {
					"id": "obj-10",
					"maxclass": "live.text",
					"numinlets": 1,
					"numoutlets": 2,
					"outlettype": [
						"",
						""
					],
					"patching_rect": [
						510.0,
						120.0,
						64.0,
						18.0
					],
					"presentation": 1,
					"presentation_rect": [
						235.0,
						52.0,
						68.0,
						18.0
					],
					"text": "Rescan",
					"mode": 0,
					"texton": "Rescan",
					"parameter_enable": 1,
					"saved_attribute_attributes": {
						"valueof": {
							"parameter_longname": "Rescan",
							"parameter_shortname": "Rescan",
							"parameter_type": 2,
							"parameter_enum": [
								"off",
								"on"
							],
							"parameter_mmax": 1,
							"parameter_invisible": 1
						}
					}
				}
			},
			{
				"box": {
					"id": "obj-11",
					"maxclass": "live.text",
					"numinlets": 1,
					"numoutlets": 2,
					"outlettype": [
						"",
						""
					],
					"patching_rect": [
						580.0,
						120.0,
						64.0,
						18.0
					],
					"presentation": 1,
					"presentation_rect": [
						8.0,
						74.0,
						68.0,
						18.0
					],
					"text": "From pad",
					"mode": 0,
					"texton": "From pad",
					"parameter_enable": 1,
					"saved_attribute_attributes": {
						"valueof": {
							"parameter_longname": "From pad",
							"parameter_shortname": "From pad",
							"parameter_type": 2,
							"parameter_enum": [
								"off",
								"on"
							],
							"parameter_mmax": 1,
							"parameter_invisible": 1
						}
					}
				}
			},
			{
				"box": {
					"id": "obj-12",
					"maxclass": "live.text",
					"numinlets": 1,
					"numoutlets": 2,
					"outlettype": [
						"",
						""
					],
					"patching_rect": [
						860.0,
						120.0,
						64.0,
						18.0
					],
					"presentation": 1,
					"presentation_rect": [
						85.0,
						74.0,
						68.0,
						18.0
					],
					"text": "Kit",
					"mode": 0,
					"texton": "Kit",
					"parameter_enable": 1,
					"saved_attribute_attributes": {
						"valueof": {
							"parameter_longname": "Kit",
							"parameter_shortname": "Kit",
							"parameter_type": 2,
							"parameter_enum": [
								"off",
								"on"
							],
							"parameter_mmax": 1,
							"parameter_invisible": 1
						}
					}
				}
			},
			{
				"box": {
					"id": "obj-13",
					"maxclass": "live.text",
					"numinlets": 1,
					"numoutlets": 2,
					"outlettype": [
						"",
						""
					],
					"patching_rect": [
						930.0,
						120.0,
						64.0,
						18.0
					],
					"presentation": 1,
					"presentation_rect": [
						160.0,
						74.0,
						68.0,
						18.0
					],
					"text": "Another",
					"mode": 0,
					"texton": "Another",
					"parameter_enable": 1,
					"saved_attribute_attributes": {
						"valueof": {
							"parameter_longname": "Another",
							"parameter_shortname": "Another",
							"parameter_type": 2,
							"parameter_enum": [
								"off",
								"on"
							],
							"parameter_mmax": 1,
							"parameter_invisible": 1
						}
					}
				}
			},
			{
				"box": {
					"id": "obj-14",
					"maxclass": "live.text",
					"numinlets": 1,
					"numoutlets": 2,
					"outlettype": [
						"",
						""
					],
					"patching_rect": [
						1000.0,
						120.0,
						64.0,
						18.0
					],
					"presentation": 1,
					"presentation_rect": [
						235.0,
						74.0,
						68.0,
						18.0
					],
					"text": "Lock pad",
					"mode": 0,
					"texton": "Lock pad",
					"parameter_enable": 1,
					"saved_attribute_attributes": {
						"valueof": {
							"parameter_longname": "Lock pad",
							"parameter_shortname": "Lock pad",
							"parameter_type": 2,
							"parameter_enum": [
								"off",
								"on"
							],
							"parameter_mmax": 1,
							"parameter_invisible": 1
						}
					}
				}
			},
			{
				"box": {
					"id": "obj-15",
					"maxclass": "comment",
					"numinlets": 1,
					"numoutlets": 0,
					"patching_rect": [
						650.0,
						170.0,
						60.0,
						18.0
					],
					"presentation": 1,
					"presentation_rect": [
						312.0,
						8.0,
						62.0,
						18.0
					],
					"text": "Pads"
				}
			},
			{
				"box": {
					"id": "obj-16",
					"maxclass": "live.numbox",
					"numinlets": 1,
					"numoutlets": 2,
					"outlettype": [
						"",
						"float"
					],
					"patching_rect": [
						650.0,
						200.0,
						50.0,
						15.0
					],
					"presentation": 1,
					"presentation_rect": [
						376.0,
						8.0,
						56.0,
						15.0
					],
					"parameter_enable": 1,
					"saved_attribute_attributes": {
						"valueof": {
							"parameter_longname": "Pads",
							"parameter_shortname": "Pads",
							"parameter_type": 1,
							"parameter_mmin": 1.0,
							"parameter_mmax": 16.0,
							"parameter_initial_enable": 1,
							"parameter_initial": [
								16.0
							],
							"parameter_invisible": 0
						}
					}
				}
			},
			{
				"box": {
					"id": "obj-17",
					"maxclass": "comment",
					"numinlets": 1,
					"numoutlets": 0,
					"patching_rect": [
						720.0,
						170.0,
						60.0,
						18.0
					],
					"presentation": 1,
					"presentation_rect": [
						312.0,
						30.0,
						62.0,
						18.0
					],
					"text": "First pad"
				}
			},
			{
				"box": {
					"id": "obj-18",
					"maxclass": "live.numbox",
					"numinlets": 1,
					"numoutlets": 2,
					"outlettype": [
						"",
						"float"
					],
					"patching_rect": [
						720.0,
						200.0,
						50.0,
						15.0
					],
					"presentation": 1,
					"presentation_rect": [
						376.0,
						30.0,
						56.0,
						15.0
					],
					"parameter_enable": 1,
					"saved_attribute_attributes": {
						"valueof": {
							"parameter_longname": "First pad",
							"parameter_shortname": "First pad",
							"parameter_type": 1,
							"parameter_mmin": 1.0,
							"parameter_mmax": 16.0,
							"parameter_initial_enable": 1,
							"parameter_initial": [
								1.0
							],
							"parameter_invisible": 0
						}
					}
				}
			},
			{
				"box": {
					"id": "obj-19",
					"maxclass": "comment",
					"numinlets": 1,
					"numoutlets": 0,
					"patching_rect": [
						790.0,
						170.0,
						60.0,
						18.0
					],
					"presentation": 1,
					"presentation_rect": [
						312.0,
						52.0,
						62.0,
						18.0
					],
					"text": "Port"
				}
			},
			{
				"box": {
					"id": "obj-20",
					"maxclass": "live.numbox",
					"numinlets": 1,
					"numoutlets": 2,
					"outlettype": [
						"",
						"float"
					],
					"patching_rect": [
						790.0,
						200.0,
						50.0,
						15.0
					],
					"presentation": 1,
					"presentation_rect": [
						376.0,
						52.0,
						56.0,
						15.0
					],
					"parameter_enable": 1,
					"saved_attribute_attributes": {
						"valueof": {
							"parameter_longname": "Port",
							"parameter_shortname": "Port",
							"parameter_type": 1,
							"parameter_mmin": 1.0,
							"parameter_mmax": 65535.0,
							"parameter_initial_enable": 1,
							"parameter_initial": [
								9000.0
							],
							"parameter_invisible": 1
						}
					}
				}
			},
			{
				"box": {
					"id": "obj-21",
					"maxclass": "live.text",
					"numinlets": 1,
					"numoutlets": 2,
					"outlettype": [
						"",
						""
					],
					"patching_rect": [
						1070.0,
						120.0,
						64.0,
						18.0
					],
					"presentation": 1,
					"presentation_rect": [
						312.0,
						74.0,
						68.0,
						18.0
					],
					"text": "Save kit",
					"mode": 0,
					"texton": "Save kit",
					"parameter_enable": 1,
					"saved_attribute_attributes": {
						"valueof": {
							"parameter_longname": "Save kit",
							"parameter_shortname": "Save kit",
							"parameter_type": 2,
							"parameter_enum": [
								"off",
								"on"
							],
							"parameter_mmax": 1,
							"parameter_invisible": 1
						}
					}
				}
			},
			{
				"box": {
					"id": "obj-22",
					"maxclass": "newobj",
					"numinlets": 2,
					"numoutlets": 2,
					"outlettype": [
						"bang",
						""
					],
					"patching_rect": [
						1070.0,
						150.0,
						40.0,
						22.0
					],
					"text": "sel 1"
				}
			},
			{
				"box": {
					"id": "obj-23",
					"maxclass": "newobj",
					"numinlets": 1,
					"numoutlets": 2,
					"outlettype": [
						"",
						"bang"
					],
					"patching_rect": [
						1120.0,
						150.0,
						100.0,
						22.0
					],
					"text": "opendialog fold"
				}
			},
			{
				"box": {
					"id": "obj-24",
					"maxclass": "newobj",
					"numinlets": 1,
					"numoutlets": 2,
					"outlettype": [
						"",
						"int"
					],
					"patching_rect": [
						1070.0,
						180.0,
						140.0,
						22.0
					],
					"text": "conformpath slash boot"
				}
			},
			{
				"box": {
					"id": "obj-25",
					"maxclass": "newobj",
					"numinlets": 1,
					"numoutlets": 0,
					"patching_rect": [
						20.0,
						360.0,
						140.0,
						22.0
					],
					"text": "udpsend 127.0.0.1 9000"
				}
			},
			{
				"box": {
					"id": "obj-26",
					"maxclass": "comment",
					"numinlets": 1,
					"numoutlets": 0,
					"patching_rect": [
						180.0,
						360.0,
						420.0,
						18.0
					],
					"presentation": 1,
					"presentation_rect": [
						8.0,
						96.0,
						424.0,
						18.0
					],
					"text": "soundalike: starting..."
				}
			},
			{
				"box": {
					"id": "obj-27",
					"maxclass": "umenu",
					"numinlets": 1,
					"numoutlets": 3,
					"outlettype": [
						"int",
						"",
						""
					],
					"patching_rect": [
						180.0,
						400.0,
						420.0,
						22.0
					],
					"presentation": 1,
					"presentation_rect": [
						8.0,
						118.0,
						424.0,
						22.0
					],
					"items": [],
					"parameter_enable": 0
				}
			},
			{
				"box": {
					"id": "obj-28",
					"maxclass": "newobj",
					"numinlets": 1,
					"numoutlets": 2,
					"outlettype": [
						"",
						""
					],
					"patching_rect": [
						20.0,
						440.0,
						400.0,
						22.0
					],
					"text": "node.script soundalike_engine.js soundalike @autostart 1 @watch 0",
					"saved_object_attributes": {
						"autostart": 1,
						"defer": 0,
						"watch": 0
					},
					"textfile": {
						"filename": "soundalike_engine.js",
						"flags": 0,
						"embed": 0,
						"autowatch": 0
					}
				}
			},
			{
				"box": {
					"id": "obj-29",
					"maxclass": "newobj",
					"numinlets": 0,
					"numoutlets": 1,
					"outlettype": [
						""
					],
					"patching_rect": [
						1210.0,
						90.0,
						150.0,
						22.0
					],
					"text": "receive soundalike-heard"
				}
			},
			{
				"box": {
					"id": "obj-30",
					"maxclass": "live.text",
					"numinlets": 1,
					"numoutlets": 2,
					"outlettype": [
						"",
						""
					],
					"patching_rect": [
						1210.0,
						120.0,
						90.0,
						18.0
					],
					"presentation": 1,
					"presentation_rect": [
						8.0,
						146.0,
						144.0,
						18.0
					],
					"text": "Follow Listener",
					"mode": 1,
					"texton": "Following Listener",
					"parameter_enable": 1,
					"saved_attribute_attributes": {
						"valueof": {
							"parameter_longname": "Follow Listener",
							"parameter_shortname": "Follow",
							"parameter_type": 2,
							"parameter_enum": [
								"off",
								"on"
							],
							"parameter_mmax": 1,
							"parameter_initial_enable": 1,
							"parameter_initial": [
								0.0
							],
							"parameter_invisible": 1
						}
					}
				}
			},
			{
				"box": {
					"id": "obj-31",
					"maxclass": "newobj",
					"numinlets": 1,
					"numoutlets": 1,
					"outlettype": [
						"int"
					],
					"patching_rect": [
						620.0,
						20.0,
						50.0,
						22.0
					],
					"text": "midiin"
				}
			},
			{
				"box": {
					"id": "obj-32",
					"maxclass": "newobj",
					"numinlets": 1,
					"numoutlets": 0,
					"patching_rect": [
						620.0,
						60.0,
						55.0,
						22.0
					],
					"text": "midiout"
				}
			}
		],
		"lines": [
			{
				"patchline": {
					"destination": [
						"obj-1",
						0
					],
					"source": [
						"obj-2",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-1",
						0
					],
					"source": [
						"obj-3",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-1",
						1
					],
					"source": [
						"obj-4",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-1",
						2
					],
					"source": [
						"obj-5",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-1",
						3
					],
					"source": [
						"obj-6",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-1",
						4
					],
					"source": [
						"obj-7",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-1",
						5
					],
					"source": [
						"obj-8",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-1",
						6
					],
					"source": [
						"obj-9",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-1",
						7
					],
					"source": [
						"obj-10",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-1",
						8
					],
					"source": [
						"obj-11",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-1",
						12
					],
					"source": [
						"obj-12",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-1",
						13
					],
					"source": [
						"obj-13",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-1",
						14
					],
					"source": [
						"obj-14",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-1",
						9
					],
					"source": [
						"obj-16",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-1",
						10
					],
					"source": [
						"obj-18",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-1",
						11
					],
					"source": [
						"obj-20",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-22",
						0
					],
					"source": [
						"obj-21",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-23",
						0
					],
					"source": [
						"obj-22",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-24",
						0
					],
					"source": [
						"obj-23",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-1",
						15
					],
					"source": [
						"obj-24",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-25",
						0
					],
					"source": [
						"obj-1",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-26",
						0
					],
					"source": [
						"obj-1",
						1
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-3",
						0
					],
					"source": [
						"obj-1",
						2
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-27",
						0
					],
					"source": [
						"obj-1",
						3
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-28",
						0
					],
					"source": [
						"obj-1",
						5
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-1",
						0
					],
					"source": [
						"obj-28",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-1",
						17
					],
					"source": [
						"obj-29",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-1",
						17
					],
					"source": [
						"obj-30",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-32",
						0
					],
					"source": [
						"obj-31",
						0
					]
				}
			}
		],
		"parameters": {
			"obj-4": [
				"Query",
				"Query",
				0
			],
			"obj-5": [
				"Similar",
				"Similar",
				0
			],
			"obj-6": [
				"Cluster",
				"Cluster",
				0
			],
			"obj-7": [
				"Fill rack",
				"Fill rack",
				0
			],
			"obj-8": [
				"Swap next",
				"Swap next",
				0
			],
			"obj-9": [
				"Swap prev",
				"Swap prev",
				0
			],
			"obj-10": [
				"Rescan",
				"Rescan",
				0
			],
			"obj-11": [
				"From pad",
				"From pad",
				0
			],
			"obj-12": [
				"Kit",
				"Kit",
				0
			],
			"obj-13": [
				"Another",
				"Another",
				0
			],
			"obj-14": [
				"Lock pad",
				"Lock pad",
				0
			],
			"obj-16": [
				"Pads",
				"Pads",
				0
			],
			"obj-18": [
				"First pad",
				"First pad",
				0
			],
			"obj-20": [
				"Port",
				"Port",
				0
			],
			"obj-21": [
				"Save kit",
				"Save kit",
				0
			],
			"obj-30": [
				"Follow Listener",
				"Follow",
				0
			],
			"inherited_shortname": 1
		},
		"dependency_cache": [
			{
				"name": "soundalike_live.js",
				"bootpath": ".",
				"type": "TEXT",
				"implicit": 1
			},
			{
				"name": "soundalike_engine.js",
				"bootpath": ".",
				"type": "TEXT",
				"implicit": 1
			}
		],
		"latency": 0,
		"is_mpe": 0,
		"external_mpe_tuning_enabled": 0,
		"minimum_live_version": "",
		"minimum_max_version": "",
		"platform_compatibility": 0,
		"project": {
			"version": 1,
			"creationdate": 3814387200,
			"modificationdate": 3814387200,
			"viewrect": [
				25.0,
				106.0,
				300.0,
				500.0
			],
			"autoorganize": 1,
			"hideprojectwindow": 1,
			"showdependencies": 1,
			"autolocalize": 0,
			"contents": {
				"patchers": {},
				"media": {},
				"code": {
					"soundalike_live.js": {
						"kind": "javascript",
						"local": 1
					},
					"soundalike_engine.js": {
						"kind": "javascript",
						"local": 1
					}
				},
				"data": {},
				"other": {}
			},
			"layout": {},
			"searchpath": {},
			"detailsvisible": 0,
			"amxdtype": 1835887981,
			"readonly": 0,
			"devpathtype": 0,
			"devpath": ".",
			"sortmode": 0,
			"viewmode": 0,
			"includepackages": 0
		},
		"autosave": 0
	}
}
